export * from './keys.js';
export * from './builders.js';
export * from './client.js';
export * from './receipt.js';
