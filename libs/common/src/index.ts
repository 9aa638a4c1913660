export * from './errors.js';
export * from './http/index.js';
