import 'reflect-metadata';
import { startAdminApp } from './app.js';

// Standalone entry point: configuration entirely from the environment.
const running = await startAdminApp({ logLevels: ['log', 'error', 'warn'] });
console.log(`admin listening on ${running.url} (portal ${running.url}/portal/, API docs ${running.url}/docs)`);
const stop = (): void => {
  void running.close().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
