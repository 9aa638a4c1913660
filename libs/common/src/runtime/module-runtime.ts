import { createHash } from 'node:crypto';
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

// Appends the "development" export condition so `#chain` & co. resolve to TypeScript sources,
// exactly as they do under Vitest (which a fresh process or thread knows nothing about).
const DEVELOPMENT_CONDITION_HOOKS = `export async function resolve(specifier, context, next) {
  const conditions = context.conditions.includes('development') ? context.conditions : [...context.conditions, 'development'];
  return next(specifier, { ...context, conditions });
}`;

/**
 * CommonJS source that defines `ready`, a promise after which a fresh process or worker
 * thread can `import(moduleUrl)`. Built output (`.js`) needs nothing; a TypeScript source
 * (tests, benchmarks run through tsx) needs tsx's loader and the "development" condition.
 */
export function importPrelude(moduleUrl: string): string {
  if (!moduleUrl.endsWith('.ts')) return `'use strict';\nconst ready = Promise.resolve();\n`;
  const tsxApiPath = createRequire(import.meta.url).resolve('tsx/esm/api');
  // The CommonJS entry of tsx's API resolves its hooks relative to the wrong file; import the
  // ESM entry next to it.
  const tsxApiUrl = pathToFileURL(tsxApiPath.replace(/\.cjs$/, '.mjs')).href;
  const hooksUrl = `data:text/javascript,${encodeURIComponent(DEVELOPMENT_CONDITION_HOOKS)}`;
  return [
    `'use strict';`,
    `require('node:module').register(${JSON.stringify(hooksUrl)});`,
    `const ready = import(${JSON.stringify(tsxApiUrl)}).then((tsx) => { tsx.register(); });`,
    '',
  ].join('\n');
}

/** Worker-thread source (for `new Worker(source, { eval: true })`) that loads `moduleUrl`. */
export function workerThreadSource(moduleUrl: string): string {
  return `${importPrelude(moduleUrl)}ready.then(() => import(${JSON.stringify(moduleUrl)}));\n`;
}

/**
 * Writes (once per content) a CommonJS file Bull can `require()` in its sandbox processes:
 * its export loads `moduleUrl` and calls the module's default export with the job. Returns
 * the file's absolute path. The file lives in the OS temp directory because Bull needs a
 * path, and the built tree contains no hand-written CommonJS.
 */
export function sandboxProcessorFile(moduleUrl: string): string {
  const source = [
    importPrelude(moduleUrl),
    'let loaded;',
    'module.exports = function sandboxedProcessor(job) {',
    `  loaded = loaded || ready.then(() => import(${JSON.stringify(moduleUrl)}));`,
    '  return loaded.then((module) => module.default(job));',
    '};',
    '',
  ].join('\n');
  const digest = createHash('sha256').update(source).digest('hex').slice(0, 24);
  const path = join(tmpdir(), `accord-sandbox-${digest}.cjs`);
  if (!existsSync(path)) {
    // Write then rename: concurrent starters never see a half-written file.
    const partial = `${path}.${process.pid}.tmp`;
    writeFileSync(partial, source);
    renameSync(partial, path);
  }
  return path;
}
