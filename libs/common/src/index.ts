export * from './errors.js';
export * from './http/index.js';
export * from './ops/index.js';
export * from './runtime/module-runtime.js';
