import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseGenesis, type Genesis } from '#chain';
import { AccordError } from '#common';

/** Everything a validator process needs to run. */
export interface ValidatorConfig {
  nodeId: string;
  genesis: Genesis;
  dataDir: string;
  /** Postgres URL; when absent the ledger is `<dataDir>/ledger.sqlite`. */
  databaseUrl?: string;
  /** Postgres schema (one per validator when several share a database). */
  databaseSchema?: string;
  host: string;
  port: number;
  /** Bull queues for batch verification / PoW when set; local worker threads otherwise. */
  redisUrl?: string;
  /** Kafka ingress when set. */
  kafkaBrokers?: string[];
  /** Largest JSON body the REST API accepts. */
  maxBodyBytes: number;
}

/** Reads and validates a genesis file. */
export function loadGenesisFile(path: string): Genesis {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new AccordError('GENESIS_UNREADABLE', `cannot read genesis ${path}: ${(error as Error).message}`);
  }
  return parseGenesis(json);
}

/** Options as they come from the CLI or the environment (strings). */
export interface ValidatorConfigInput {
  nodeId?: string;
  genesisPath?: string;
  genesis?: Genesis;
  dataDir?: string;
  databaseUrl?: string;
  databaseSchema?: string;
  host?: string;
  port?: number | string;
  redisUrl?: string;
  kafkaBrokers?: string;
}

/** Resolves CLI options over environment variables over defaults. */
export function resolveValidatorConfig(input: ValidatorConfigInput, env: NodeJS.ProcessEnv = process.env): ValidatorConfig {
  const genesisPath = input.genesisPath ?? env.ACCORD_GENESIS;
  const genesis = input.genesis ?? (genesisPath ? loadGenesisFile(resolve(genesisPath)) : undefined);
  if (!genesis) throw new AccordError('CONFIG_INVALID', 'a genesis is required (--genesis <file> or ACCORD_GENESIS)');
  const port = Number(input.port ?? env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new AccordError('CONFIG_INVALID', `invalid port ${String(input.port ?? env.PORT)}`);
  const nodeId = input.nodeId ?? env.ACCORD_NODE_ID ?? genesis.validators[0]?.nodeId ?? 'solo';
  const kafka = input.kafkaBrokers ?? env.KAFKA_BROKERS;
  return {
    nodeId,
    genesis,
    dataDir: resolve(input.dataDir ?? env.ACCORD_DATA_DIR ?? join('data', nodeId)),
    databaseUrl: input.databaseUrl ?? env.DATABASE_URL,
    databaseSchema: input.databaseSchema ?? env.DATABASE_SCHEMA,
    host: input.host ?? env.HOST ?? '127.0.0.1',
    port,
    redisUrl: input.redisUrl ?? env.REDIS_URL,
    kafkaBrokers: kafka ? kafka.split(',').map((b) => b.trim()).filter(Boolean) : undefined,
    maxBodyBytes: 2 * 1024 * 1024,
  };
}
