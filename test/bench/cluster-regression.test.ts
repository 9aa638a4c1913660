import { describe, expect, it } from 'vitest';
import { compareResults, defaultLastPath, formatComparison, markdownRow, type ClusterBenchResult } from '../../bench/cluster/regression.js';

const last: ClusterBenchResult = {
  machine: '2 cores',
  command: 'bench',
  validators: 4,
  consensus: 'raft',
  saturationTxPerSecond: 3000,
  finalityAtHalfLoadMs: { p50: 100, p95: 180, p99: 200, samples: 1000 },
  perValidator: [{ nodeId: 'validator-1', cpuSeconds: 10, rssMiB: 400 }],
  verifyCeilingTxPerSecond: 12000,
};
const run = (txPerSecond: number, p99: number, changes: Partial<ClusterBenchResult> = {}): ClusterBenchResult => ({
  ...last,
  database: 'sqlite',
  ingress: 'rest',
  saturationTxPerSecond: txPerSecond,
  finalityAtHalfLoadMs: { ...last.finalityAtHalfLoadMs, p99 },
  ...changes,
});

describe('the cluster benchmark regression check', () => {
  it('passes within 10 % of the last result, and when better', () => {
    expect(compareResults(last, run(2701, 219)).regressed).toBe(false);
    expect(compareResults(last, run(4000, 150)).regressed).toBe(false);
  });

  it('fails when committed tx/s drops by more than 10 %', () => {
    const comparison = compareResults(last, run(2699, 200));
    expect(comparison.regressed).toBe(true);
    expect(comparison.rows[0]).toMatchObject({ regressed: true, previous: 3000, current: 2699 });
    expect(formatComparison(comparison, 'last-raft.json')).toContain('REGRESSION');
  });

  it('fails when p99 finality rises by more than 10 %', () => {
    const comparison = compareResults(last, run(3000, 221));
    expect(comparison.rows[1]).toMatchObject({ regressed: true, changePercent: 10.5 });
    expect(comparison.regressed).toBe(true);
  });

  it('does not compare runs of different configurations (an old result without database/ingress is SQLite over REST)', () => {
    const comparison = compareResults(last, run(10, 9000, { database: 'postgres' }));
    expect(comparison).toMatchObject({ comparable: false, regressed: false });
    expect(formatComparison(comparison, 'x.json')).toContain('postgres');
  });

  it('keeps one last-result file per configuration, last-raft.json for the default one', () => {
    expect(defaultLastPath({ consensus: 'raft', validators: 4, database: 'sqlite', ingress: 'rest' })).toBe('bench/cluster/last-raft.json');
    expect(defaultLastPath({ consensus: 'pbft', validators: 7, database: 'postgres', ingress: 'kafka' })).toBe('bench/cluster/last-pbft-7v-postgres-kafka.json');
  });

  it('renders a RESULTS.md row', () => {
    expect(markdownRow(run(3000, 200))).toBe('| raft | 4 | sqlite | rest | 3,000 | 100 / 180 / 200 | – | 10 | 400 | 12,000 | – |');
    expect(markdownRow(run(3000, 200, { loadAverage: { start: 1.5, end: 2 } }))).toMatch(/\| 1\.5 → 2 \|$/);
  });
});
