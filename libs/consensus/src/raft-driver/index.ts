export * from './consensus-data.js';
export * from './block-entry.js';
export * from './sql-raft-storage.js';

export * from './raft-engine.js';
