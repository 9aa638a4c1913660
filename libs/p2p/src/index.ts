export * from './errors.js';
export * from './crc32c.js';
export * from './frame.js';
export * from './frame-decoder.js';
