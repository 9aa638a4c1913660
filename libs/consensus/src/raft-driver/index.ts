export * from './consensus-data.js';
export * from './sql-raft-storage.js';

export * from './raft-engine.js';
