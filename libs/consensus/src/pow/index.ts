export * from './types.js';
export * from './nonce-search.js';
export * from './retarget.js';
export * from './local-sealer.js';
export * from './bull-sealer.js';
export type { SealJobData, SealJobResult } from './bull-seal-processor.js';
