export * from './request-logging.js';
