export * from './types.js';
export * from './packed-jobs.js';
export * from './process-verify-job.js';
export * from './check-results.js';
export * from './inline-verifier.js';
export * from './local-verifier.js';
export * from './bull-verifier.js';
export * from './factory.js';
