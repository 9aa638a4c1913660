import { performance } from 'node:perf_hooks';
import { generatePrivateKey, publicKeyOf, sha256, signDigest, utf8, verifyDigestNative } from '#chain';

/**
 * Native secp256k1 verifications per second on one core: with every validator verifying every
 * transaction, `rate × cores ÷ validators` bounds a single-machine cluster's throughput.
 */
export function measureVerifyRate(samples: number): number {
  const key = generatePrivateKey();
  const publicKey = publicKeyOf(key);
  const digests = Array.from({ length: samples }, (_, i) => sha256(utf8(`verify ${i}`)));
  const signatures = digests.map((d) => signDigest(d, key));
  const started = performance.now();
  let ok = 0;
  for (let round = 0; round < 5; round++) for (let i = 0; i < samples; i++) if (verifyDigestNative(signatures[i], digests[i], publicKey)) ok++;
  const seconds = (performance.now() - started) / 1000;
  if (ok !== samples * 5) throw new Error('verification failed during the benchmark');
  return ok / seconds;
}
