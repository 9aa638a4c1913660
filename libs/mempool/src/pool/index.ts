export * from './codes.js';
export * from './config.js';
export * from './types.js';
export { Mempool, type MempoolStats } from './mempool.js';
