import type { Transaction } from '#chain';
import type { SenderQueue } from './sender-queue.js';

/**
 * Round-robin over senders: the first ready transaction of every sender, then the second of
 * every sender that has one, and so on, until `maxTxs`. Each sender's transactions stay in
 * nonce order, so executing the result in order is valid; one busy sender cannot crowd out the
 * others. Cost is O(selected + senders visited).
 */
export function selectRoundRobin(senders: Iterable<SenderQueue>, maxTxs: number): Transaction[] {
  const out: Transaction[] = [];
  if (maxTxs <= 0) return out;
  let round: SenderQueue[] = [];
  for (const sender of senders) {
    if (sender.readyLength === 0) continue;
    out.push(sender.entries[0].tx);
    if (out.length >= maxTxs) return out;
    if (sender.readyLength > 1) round.push(sender);
  }
  for (let depth = 1; round.length > 0; depth++) {
    const next: SenderQueue[] = [];
    for (const sender of round) {
      out.push(sender.entries[depth].tx);
      if (out.length >= maxTxs) return out;
      if (sender.readyLength > depth + 1) next.push(sender);
    }
    round = next;
  }
  return out;
}
