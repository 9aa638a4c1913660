#!/usr/bin/env node
// The `accord` command. It runs the compiled CLI from dist/ (`npm run build`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/apps/cli/src/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  console.error('accord is not built yet: run `npm run build` first');
  process.exit(1);
}
const { main } = await import(entry.href);
await main(process.argv);
