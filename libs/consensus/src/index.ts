export * from './random.js';
export * from './raft/index.js';
export * from './pbft/index.js';
export * from './engine/engine.js';
export * from './engine/pending-pool.js';
export * from './engine/block-pipeline.js';
export * from './solo/solo-engine.js';
