export * from './commit-certificate-codec.js';
export * from './consensus-data.js';
export * from './native-authenticator.js';
export * from './sql-pbft-storage.js';
export * from './pbft-engine.js';
export { testByzantineModeFrom } from './equivocation.js';
export * from './epoch.js';
