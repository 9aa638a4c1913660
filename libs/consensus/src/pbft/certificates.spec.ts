import * as secp from '@noble/secp256k1';
import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { commitSigningBytes, verifyCommitCertificate } from './certificates.js';
import { Secp256k1Authenticator } from './secp256k1-authenticator.js';
import { signPbftMessage } from './signing.js';
import { TestCluster } from './testing.js';
import type { CommitMessage } from './types.js';

const chainId = 'accord-cert-test';
const secrets = [1, 2, 3, 4].map((i) => sha256(new TextEncoder().encode(`consensus-key-${i}`)));
const validators = secrets.map((secret, i) => ({ id: `v${i}`, consensusPublicKey: secp.getPublicKey(secret, true) }));
const authenticators = secrets.map((secret) => new Secp256k1Authenticator(secret, validators));
const digest = sha256(new TextEncoder().encode('block 7'));

const commit = (signer: number, fields: Partial<CommitMessage> = {}): CommitMessage =>
  signPbftMessage<CommitMessage>(chainId, { type: 'commit', view: 2, height: 7, digest, sender: `v${signer}`, ...fields }, authenticators[signer]);

const verify = (certificate: CommitMessage[], overrides: { height?: number; blockDigest?: Uint8Array } = {}) =>
  verifyCommitCertificate({ chainId, height: overrides.height ?? 7, blockDigest: overrides.blockDigest ?? digest, certificate, validators });

describe('verifyCommitCertificate (secp256k1)', () => {
  it('accepts 2f+1 distinct validators signing COMMIT for the height and digest in one view', () => {
    expect(verify([commit(0), commit(1), commit(3)])).toEqual({ ok: true });
    expect(verify([commit(0), commit(1), commit(2), commit(3)])).toEqual({ ok: true });
  });

  it('rejects certificates that are short, duplicated, mixed, foreign or forged', () => {
    const impersonated = { ...commit(1), sender: 'v2' };
    const outsiderSecret = sha256(new TextEncoder().encode('outsider'));
    const outsider = signPbftMessage<CommitMessage>(
      chainId,
      { type: 'commit', view: 2, height: 7, digest, sender: 'v9' },
      new Secp256k1Authenticator(outsiderSecret, []),
    );
    const cases: [CommitMessage[], string, { height?: number; blockDigest?: Uint8Array }?][] = [
      [[], 'PBFT_CERT_EMPTY'],
      [[commit(0), commit(1)], 'PBFT_CERT_INSUFFICIENT'],
      [[commit(0), commit(1), commit(1)], 'PBFT_CERT_DUPLICATE_SIGNER'],
      [[commit(0), commit(1), commit(2, { view: 3 })], 'PBFT_CERT_VIEW_MISMATCH'],
      [[commit(0), commit(1), commit(2)], 'PBFT_CERT_MISMATCH', { height: 8 }],
      [[commit(0), commit(1), commit(2)], 'PBFT_CERT_MISMATCH', { blockDigest: new Uint8Array(32) }],
      [[commit(0), commit(1), impersonated], 'PBFT_CERT_BAD_SIGNATURE'],
      [[commit(0), commit(1), outsider], 'PBFT_CERT_UNKNOWN_VALIDATOR'],
      [[commit(0), commit(1), { ...commit(2), type: 'prepare' } as unknown as CommitMessage], 'PBFT_CERT_WRONG_TYPE'],
      [[commit(0), commit(1), signPbftMessage<CommitMessage>('other-chain', commit(2), authenticators[2])], 'PBFT_CERT_BAD_SIGNATURE'],
    ];
    for (const [certificate, code, overrides] of cases) expect(verify(certificate, overrides)).toEqual({ ok: false, code });
  });

  it('signs compact 64-byte low-S signatures and refuses high-S or malformed ones', () => {
    const vote = commit(0);
    expect(vote.signature).toHaveLength(64);
    const signature = secp.Signature.fromBytes(vote.signature);
    expect(signature.s <= secp.Point.CURVE().n / 2n).toBe(true);
    const highS = new secp.Signature(signature.r, secp.Point.CURVE().n - signature.s).toBytes();
    const bytes = commitSigningBytes(chainId, 2, 7, digest, 'v0');
    expect(secp.verify(highS, bytes, validators[0].consensusPublicKey, { lowS: false })).toBe(true);
    expect(authenticators[1].verify('v0', bytes, highS)).toBe(false);
    expect(authenticators[1].verify('v0', bytes, vote.signature)).toBe(true);
    expect(authenticators[1].verify('v0', bytes, vote.signature.subarray(0, 63))).toBe(false);
    expect(authenticators[1].verify('v0', bytes, new Uint8Array(64))).toBe(false);
    expect(authenticators[1].verify('nobody', bytes, vote.signature)).toBe(false);
  });
});

describe('commit certificates produced by replicas with secp256k1 keys', () => {
  it('verify offline with only the chain id, the validator public keys and the block digest', () => {
    const keys = validators.map((v, i) => ({ id: `n${i}`, consensusPublicKey: v.consensusPublicKey }));
    const cluster = new TestCluster(4, { chainId }, new Map(secrets.map((secret, i) => [`n${i}`, new Secp256k1Authenticator(secret, keys)])));
    cluster.propose();
    cluster.deliverAll();
    const [block] = cluster.committed.get('n2')!;
    expect(verifyCommitCertificate({ chainId, height: 1, blockDigest: block.digest, certificate: block.certificate, validators: keys })).toEqual({ ok: true });
    expect(verifyCommitCertificate({ chainId, height: 2, blockDigest: block.digest, certificate: block.certificate, validators: keys }).ok).toBe(false);
  });
});
