export * from './error-body.js';
export * from './http-error.js';
export * from './exception-filter.js';
export * from './validation.js';
export * from './bootstrap.js';
export * from './client-errors.js';
export * from './json-depth.js';
export * from './json-prototype-keys.js';
