import { parentPort } from 'node:worker_threads';
import { searchNonces } from './nonce-search.js';

/** One seal's work order to a thread of `LocalPowSealer`. */
export interface ThreadSealOrder {
  template: Uint8Array;
  difficultyBits: number;
  /** Int32 control words: [0] stop flag (0 = search), [1] next chunk index. */
  control: SharedArrayBuffer;
  chunkSize: number;
}

/** A thread's answer: its find (if it won the race) and the hashes it computed. */
export interface ThreadSealReport {
  nonce?: bigint;
  hashes: number;
}

// Worker-thread entry of LocalPowSealer: claims nonce chunks from the shared counter until a
// thread finds a seal or the sealer raises the stop flag.
parentPort?.on('message', (order: ThreadSealOrder) => {
  const control = new Int32Array(order.control);
  const shouldStop = () => Atomics.load(control, 0) !== 0;
  let hashes = 0;
  while (!shouldStop()) {
    const chunk = Atomics.add(control, 1, 1);
    const start = 1n + BigInt(chunk) * BigInt(order.chunkSize);
    const result = searchNonces(order.template, order.difficultyBits, start, order.chunkSize, shouldStop);
    hashes += result.hashes;
    // Only the first finder flips the flag from 0; a later find in the same round is dropped.
    if (result.found && Atomics.compareExchange(control, 0, 0, 1) === 0) {
      parentPort?.postMessage({ nonce: result.found.nonce, hashes } satisfies ThreadSealReport);
      return;
    }
  }
  parentPort?.postMessage({ hashes } satisfies ThreadSealReport);
});
