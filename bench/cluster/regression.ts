/** The result of one cluster benchmark run (as written by `--json` and `--record`). */
export interface ClusterBenchResult {
  machine: string;
  command: string;
  validators: number;
  consensus: 'raft' | 'pbft';
  /** Absent in results recorded before the option existed: SQLite. */
  database?: 'sqlite' | 'postgres';
  /** Absent in results recorded before the option existed: REST. */
  ingress?: 'rest' | 'kafka';
  saturationTxPerSecond: number;
  finalityAtHalfLoadMs: { p50: number; p95: number; p99: number; samples: number };
  failoverMs?: { median: number; p95: number; max: number; trials: number };
  perValidator: Array<{ nodeId: string; cpuSeconds: number; rssMiB: number }>;
  verifyCeilingTxPerSecond: number;
  /** How the ceiling was derived: native verifications/s on one core × cores ÷ verifiers per tx. */
  verifyCeiling?: { perCorePerSecond: number; cores: number; verifiersPerTx: number };
  /** 1-minute load average when the run started and ended: other work on the machine skews every figure. */
  loadAverage?: { start: number; end: number };
  recordedAt?: string;
}

/** Worse by more than this fraction fails the check. */
export const REGRESSION_TOLERANCE = 0.1;

export interface Comparison {
  comparable: boolean;
  /** Why two results are not comparable (different configuration). */
  reason?: string;
  rows: Array<{ metric: string; previous: number; current: number; changePercent: number; regressed: boolean }>;
  regressed: boolean;
}

/** The configuration a result must share with another to be compared. */
export function configurationOf(result: ClusterBenchResult): string {
  return `${result.validators} × ${result.consensus}, ${result.database ?? 'sqlite'}, ${result.ingress ?? 'rest'} ingress`;
}

/** The default last-result file of a configuration (`last-raft.json` for 4 × Raft on SQLite over REST). */
export function defaultLastPath(config: { consensus: string; validators: number; database: string; ingress: string }): string {
  const parts = [config.consensus, config.validators === 4 ? '' : `${config.validators}v`, config.database === 'sqlite' ? '' : config.database, config.ingress === 'rest' ? '' : config.ingress];
  return `bench/cluster/last-${parts.filter(Boolean).join('-')}.json`;
}

/**
 * Compares a run with the last recorded one of the same configuration: committed tx/s may not
 * drop, and p99 finality may not rise, by more than {@link REGRESSION_TOLERANCE}.
 */
export function compareResults(previous: ClusterBenchResult, current: ClusterBenchResult, tolerance = REGRESSION_TOLERANCE): Comparison {
  if (configurationOf(previous) !== configurationOf(current)) {
    return { comparable: false, reason: `last result is for ${configurationOf(previous)}, this run is ${configurationOf(current)}`, rows: [], regressed: false };
  }
  const change = (before: number, after: number): number => (before === 0 ? 0 : ((after - before) / before) * 100);
  const throughput = { metric: 'committed tx/s (higher is better)', previous: previous.saturationTxPerSecond, current: current.saturationTxPerSecond };
  const p99 = { metric: 'finality p99 ms (lower is better)', previous: previous.finalityAtHalfLoadMs.p99, current: current.finalityAtHalfLoadMs.p99 };
  const rows = [
    { ...throughput, changePercent: change(throughput.previous, throughput.current), regressed: throughput.current < throughput.previous * (1 - tolerance) },
    { ...p99, changePercent: change(p99.previous, p99.current), regressed: p99.current > p99.previous * (1 + tolerance) },
  ];
  return { comparable: true, rows, regressed: rows.some((r) => r.regressed) };
}

/** The comparison as lines of text. */
export function formatComparison(comparison: Comparison, previousPath: string, loads?: { previous?: ClusterBenchResult['loadAverage']; current?: ClusterBenchResult['loadAverage'] }): string {
  if (!comparison.comparable) return `not compared with ${previousPath}: ${comparison.reason}`;
  const lines = [`compared with ${previousPath} (a change worse than ${REGRESSION_TOLERANCE * 100} % fails):`];
  const load = (l?: { start: number; end: number }): string => (l ? `${l.start} → ${l.end}` : 'not recorded');
  if (loads) lines.push(`  load average (1 min) then: ${load(loads.previous)}; now: ${load(loads.current)}`);
  for (const row of comparison.rows) {
    const sign = row.changePercent >= 0 ? '+' : '';
    lines.push(`  ${row.metric}: ${row.previous} → ${row.current} (${sign}${row.changePercent.toFixed(1)} %)${row.regressed ? '  REGRESSION' : ''}`);
  }
  lines.push(comparison.regressed ? 'REGRESSION: worse than the last recorded result' : 'no regression');
  return lines.join('\n');
}

/** The header of the RESULTS.md table these rows belong to. */
export const MARKDOWN_HEADER = [
  '| Consensus | Validators | Database | Ingress | Committed tx/s | Finality p50 / p95 / p99 (ms) | Failover median / p95 (ms) | CPU s per validator | RSS MiB per validator | Verify ceiling tx/s | Load (1 min) start → end |',
  '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
].join('\n');

/** One RESULTS.md table row. */
export function markdownRow(result: ClusterBenchResult): string {
  const f = result.finalityAtHalfLoadMs;
  const failover = result.failoverMs ? `${result.failoverMs.median} / ${result.failoverMs.p95}` : '–';
  const ceiling = result.verifyCeiling
    ? `${result.verifyCeilingTxPerSecond.toLocaleString('en')} (${Math.round(result.verifyCeiling.perCorePerSecond).toLocaleString('en')}/s × ${result.verifyCeiling.cores} cores ÷ ${result.verifyCeiling.verifiersPerTx})`
    : result.verifyCeilingTxPerSecond.toLocaleString('en');
  return `| ${result.consensus} | ${result.validators} | ${result.database ?? 'sqlite'} | ${result.ingress ?? 'rest'} | ${result.saturationTxPerSecond.toLocaleString('en')} | ${f.p50} / ${f.p95} / ${f.p99} | ${failover} | ${result.perValidator.map((v) => v.cpuSeconds).join(' / ')} | ${result.perValidator.map((v) => v.rssMiB).join(' / ')} | ${ceiling} | ${result.loadAverage ? `${result.loadAverage.start} → ${result.loadAverage.end}` : '–'} |`;
}
