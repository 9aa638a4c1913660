export * from './random.js';
export * from './raft/index.js';
export * from './pbft/index.js';
