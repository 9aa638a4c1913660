/**
 * Renders the JSON lines a chaos run wrote (ACCORD_CHAOS_REPORT) as the bench/RESULTS.md table.
 *   node --import tsx test/chaos/report-table.ts chaos.jsonl
 */
import { readFileSync } from 'node:fs';
import type { ScenarioReport } from './scenario.js';

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)] ?? 0;
const seconds = (ms: number): string => (ms / 1000).toFixed(1);

const reports = readFileSync(process.argv[2], 'utf8').trim().split('\n').map((line) => JSON.parse(line) as ScenarioReport);
console.log('| Scenario (size, seed) | Faults played | Acknowledged (resubmitted) | Committed (of which indeterminate) | Duplicates | Lost | Divergent heights | Time to heal median / max (s) | Ledger verify | Run (s) |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const r of reports) {
  const c = r.check;
  // Victims vary between plays; the kind of fault and the sizes of the sides do not.
  const faults = [...new Set(r.faults.map((f) => f.replace(/\{([^}]*)\}/g, (_, members: string) => `${members.split(',').length}`).replace(/validator-\d \((\w+)\)/g, '$1').replace(/ on validator-\d/g, '').replace(/ \| /g, ' vs ')))];
  const verified = r.ledgers.every((l) => l.code === 0 && l.verdict.includes('"ok":true')) ? `${r.ledgers.length} / ${r.ledgers.length} ok` : 'FAILED';
  console.log(
    `| ${r.scenario} (${r.size}, ${r.seed}) | ${r.faults.length}: ${faults.join('; ')} | ${c.acknowledged} (${r.resubmitted ?? '?'}) | ${c.committed} (${c.indeterminateCommitted} of ${c.indeterminate}) | ${c.duplicates.length} | ${c.lost.length} | ${c.divergentHeights.length} of ${c.heightsCompared} | ${seconds(median(r.healMs))} / ${seconds(Math.max(...r.healMs))} | ${verified} | ${r.durationSeconds} |`,
  );
}
