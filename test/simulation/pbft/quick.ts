import { runPbftSimulation } from './cluster.js';
const seeds = Number(process.env.N ?? 20);
const start = Date.now();
let fails = 0; const rec: number[] = [];
for (let seed = 1; seed <= seeds; seed++) {
  const n = seed % 2 === 0 ? 4 : 7;
  const r = runPbftSimulation({ seed, validatorCount: n, byzantineCount: (n - 1) / 3, gstTick: Number(process.env.GST ?? 200), livenessBoundTicks: Number(process.env.L ?? 600) });
  if (r.recoveryTicks !== undefined) rec.push(r.recoveryTicks);
  if (r.violation) { fails++; console.log(seed, n, r.violation, JSON.stringify(r.byzantine)); }
  else if (process.env.V) console.log(seed, n, r.honestHeights.join(','), r.traceHash);
}
rec.sort((a,b)=>a-b); console.log('recovery p50', rec[rec.length>>1], 'p99', rec[Math.floor(rec.length*0.99)], 'max', rec.at(-1));
console.log('fails', fails, 'ms', Date.now() - start);
