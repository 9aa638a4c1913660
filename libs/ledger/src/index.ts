export * from './data-source.js';
export * from './entities/index.js';
export * from './ledger.js';
export * from './ledger-error.js';
export * from './verify.js';
export * from './encoding.js';
export * from './bulk-sql.js';
