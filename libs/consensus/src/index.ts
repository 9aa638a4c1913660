export * from './random.js';
export * from './raft/index.js';
