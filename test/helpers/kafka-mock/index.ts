import { spawn, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const here = import.meta.dirname;
const binaryPath = join(here, 'kafka-mock');
const sourcePaths = [join(here, 'kafka-mock.c'), join(here, 'build.sh')];

/** A topic the mock cluster creates before it reports ready. */
export interface KafkaMockTopic {
  name: string;
  partitions: number;
}

/** A running librdkafka mock cluster. */
export interface KafkaMock {
  /** Bootstrap addresses (`host:port`) for a Kafka client. */
  brokers: string[];
  /** Stops the cluster and waits for its process to exit. */
  stop(): Promise<void>;
}

function binaryIsStale(): boolean {
  if (!existsSync(binaryPath)) return true;
  const builtMs = statSync(binaryPath).mtimeMs;
  return sourcePaths.some((path) => statSync(path).mtimeMs > builtMs);
}

/** Builds the mock-cluster binary when it is missing or older than its sources. */
export function ensureKafkaMockBinary(): string {
  if (!binaryIsStale()) return binaryPath;
  const build = spawnSync('sh', [join(here, 'build.sh')], { encoding: 'utf8' });
  if (build.status !== 0) {
    throw new Error(`cannot build the Kafka mock broker (${join(here, 'build.sh')}): ${build.stderr.trim() || build.error?.message}`);
  }
  return binaryPath;
}

/**
 * Starts librdkafka's mock Kafka cluster in a child process with the given topics and
 * resolves once it listens. The child also exits when this process dies (its stdin closes).
 */
export async function startKafkaMock(options: { topics: KafkaMockTopic[]; brokerCount?: number }): Promise<KafkaMock> {
  const binary = ensureKafkaMockBinary();
  const topicArgs = options.topics.map((topic) => `${topic.name}:${topic.partitions}`);
  const child = spawn(binary, [String(options.brokerCount ?? 1), ...topicArgs], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const bootstrap = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => {
      lines.close();
      resolve(line.trim());
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => reject(new Error(`Kafka mock broker exited (${code ?? signal}): ${stderr.trim()}`)));
  });

  return {
    brokers: bootstrap.split(','),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.stdin.end();
        child.kill('SIGTERM');
      }
      await exited;
    },
  };
}
