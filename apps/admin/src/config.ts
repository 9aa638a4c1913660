import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { AccordError } from '#common';

/** Everything the admin app needs to start, resolved from env and CLI flags. */
export interface AdminConfig {
  dataDir: string;
  port: number;
  host: string;
  /** Postgres URL; when absent the register is a SQLite file in `dataDir`. */
  databaseUrl?: string;
  /** Postgres schema to use (tests isolate runs with a fresh schema). */
  databaseSchema?: string;
  /** Unlocks the CA and governance keys at rest. */
  caPassphrase?: string;
  /** How often validators' `/v1/status` is polled; 0 disables polling. */
  validatorPollMs: number;
  /** Lifetime of a login bearer token. */
  sessionTtlMs: number;
  /** Lifetime of a published CRL before it is re-signed. */
  crlValidityMs: number;
  /** Consortium chain id used for the genesis and governance transactions. */
  chainId: string;
}

/** Options as they arrive from the CLI; every field overrides its env counterpart. */
export interface AdminConfigOverrides {
  dataDir?: string;
  port?: number;
  host?: string;
  databaseUrl?: string;
  databaseSchema?: string;
  caPassphrase?: string;
  caPassphraseFile?: string;
  validatorPollMs?: number;
  sessionTtlMs?: number;
  crlValidityMs?: number;
  chainId?: string;
}

const DEFAULT_PORT = 7000;
const FIFTEEN_MINUTES_MS = 15 * 60_000;
const SEVEN_DAYS_MS = 7 * 24 * 3600_000;

function parsePort(raw: string | number | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const port = typeof raw === 'number' ? raw : Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new AccordError('CONFIG_INVALID', `invalid port: ${String(raw)}`);
  return port;
}

function readPassphrase(inline: string | undefined, file: string | undefined): string | undefined {
  if (inline) return inline;
  if (!file) return undefined;
  // A trailing newline from `echo secret > file` is not part of the passphrase.
  return readFileSync(file, 'utf8').replace(/\r?\n$/, '');
}

/** Resolves the admin configuration: CLI overrides first, then env, then defaults. */
export function loadAdminConfig(overrides: AdminConfigOverrides = {}, env: NodeJS.ProcessEnv = process.env): AdminConfig {
  return {
    dataDir: resolve(overrides.dataDir ?? env.ADMIN_DATA_DIR ?? './data/admin'),
    port: parsePort(overrides.port ?? env.PORT, DEFAULT_PORT),
    host: overrides.host ?? env.HOST ?? '127.0.0.1',
    databaseUrl: overrides.databaseUrl ?? (env.DATABASE_URL || undefined),
    databaseSchema: overrides.databaseSchema ?? (env.DATABASE_SCHEMA || undefined),
    caPassphrase: readPassphrase(
      overrides.caPassphrase ?? env.ACCORD_CA_PASSPHRASE,
      overrides.caPassphraseFile ?? env.ACCORD_CA_PASSPHRASE_FILE,
    ),
    validatorPollMs: overrides.validatorPollMs ?? Number(env.ADMIN_VALIDATOR_POLL_MS ?? 10_000),
    sessionTtlMs: overrides.sessionTtlMs ?? FIFTEEN_MINUTES_MS,
    crlValidityMs: overrides.crlValidityMs ?? SEVEN_DAYS_MS,
    chainId: overrides.chainId ?? env.ACCORD_CHAIN_ID ?? 'accord-devnet',
  };
}

/** The CA passphrase, or a clear error when it was not configured. */
export function requirePassphrase(config: AdminConfig): string {
  if (!config.caPassphrase) {
    throw new AccordError('PASSPHRASE_REQUIRED', 'set ACCORD_CA_PASSPHRASE or ACCORD_CA_PASSPHRASE_FILE to unlock the CA keys');
  }
  return config.caPassphrase;
}
