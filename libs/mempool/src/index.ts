export * from './pool/index.js';
export * from './verify/index.js';
export * from './kafka/index.js';
