import { describe, expect, it } from 'vitest';
import { blockHash, decodeBlock, encodeBlock, sha256, toHex, utf8, publicKeyOf, type Block } from '#chain';
import { CHAIN_ID, testAccount, transfer } from '../../../../test/support/chain-fixtures.js';
import { Secp256k1Authenticator, verifySecp256k1 } from '../pbft/secp256k1-authenticator.js';
import { pbftSigningBytes, signPbftMessage, verifyPbftSignature } from '../pbft/signing.js';
import type { CommitMessage, PrePrepareMessage, PrepareMessage } from '../pbft/types.js';
import { verifyCommitCertificate } from '../pbft/certificates.js';
import { decodeCommitCertificate, encodeCommitCertificate } from './commit-certificate-codec.js';
import { decodePbftView, encodePbftView } from './consensus-data.js';
import { equivocatingPrePrepares, testByzantineModeFrom } from './equivocation.js';
import { NativeSecp256k1Authenticator } from './native-authenticator.js';

const secrets = [1, 2, 3, 4].map((i) => sha256(utf8(`pbft driver key ${i}`)));
const genesisValidators = secrets.map((s, i) => ({ nodeId: `v${i}`, consensusPublicKey: toHex(publicKeyOf(s)) }));
const coreValidators = secrets.map((s, i) => ({ id: `v${i}`, consensusPublicKey: publicKeyOf(s) }));
const native = secrets.map((s) => new NativeSecp256k1Authenticator(s, genesisValidators));
const digest = sha256(utf8('block 3'));
const limits = { maxTxBytes: 8192, maxRecordValueBytes: 4096, maxTransferAmount: 10n ** 12n };

const commit = (signer: number): CommitMessage => signPbftMessage<CommitMessage>(CHAIN_ID, { type: 'commit', view: 0, height: 3, digest, sender: `v${signer}` }, native[signer]);

describe('PBFT driver pieces', () => {
  it('the native authenticator signs exactly what the secp256k1 core verifies, and the other way round', () => {
    const bytes = pbftSigningBytes(CHAIN_ID, commit(0));
    const signature = native[0].sign(bytes);
    expect(verifySecp256k1(publicKeyOf(secrets[0]), bytes, signature)).toBe(true);
    const noble = new Secp256k1Authenticator(secrets[1], coreValidators);
    expect(native[0].verify('v1', bytes, noble.sign(bytes))).toBe(true);
    expect(native[0].verify('v2', bytes, noble.sign(bytes))).toBe(false);
    expect(native[0].verify('v9', bytes, signature)).toBe(false);
  });

  it('commit certificates survive storage and still verify; anything else is refused with a code', () => {
    const certificate = [commit(0), commit(2), commit(3)];
    const decoded = decodeCommitCertificate(encodeCommitCertificate(certificate));
    expect(decoded).toEqual(certificate);
    expect(verifyCommitCertificate({ chainId: CHAIN_ID, height: 3, blockDigest: digest, certificate: decoded, validators: coreValidators })).toEqual({ ok: true });
    expect(() => decodeCommitCertificate(new Uint8Array([0xff, 0xff]))).toThrow(expect.objectContaining({ code: 'PBFT_CERT_DECODE' }));
    const prepare = signPbftMessage<PrepareMessage>(CHAIN_ID, { type: 'prepare', view: 0, height: 3, digest, sender: 'v1' }, native[1]);
    expect(() => decodeCommitCertificate(encodeCommitCertificate([prepare as unknown as CommitMessage]))).toThrow(expect.objectContaining({ code: 'PBFT_CERT_DECODE' }));
  });

  it('blocks record the view they were proposed in', () => {
    expect(decodePbftView(encodePbftView(0))).toBe(0);
    expect(decodePbftView(encodePbftView(42))).toBe(42);
    expect(decodePbftView(new Uint8Array([0xff]))).toBeUndefined();
  });

  it('an equivocating primary gives the first peer its pre-prepare and the others a valid twin block', () => {
    const txs = [transfer(testAccount('member-0'), testAccount('member-1'), 5n, 0n)];
    const block: Block = {
      header: { chainId: CHAIN_ID, height: 3n, prevHash: new Uint8Array(32), timestampMs: 1000n, txRoot: new Uint8Array(32), stateRoot: new Uint8Array(32), proposer: 'v0', consensusData: encodePbftView(0), txCount: 1, powDifficultyBits: 0, powNonce: 0n },
      txs,
    };
    const genuine = signPbftMessage<PrePrepareMessage>(CHAIN_ID, { type: 'pre-prepare', view: 0, height: 3, digest: blockHash(block.header), block: encodeBlock(block), sender: 'v0' }, native[0]);
    const perPeer = equivocatingPrePrepares(CHAIN_ID, genuine, ['v3', 'v1', 'v2'], native[0], limits);
    expect(perPeer.get('v1')).toBe(genuine);
    const twin = perPeer.get('v2') as PrePrepareMessage;
    expect(perPeer.get('v3')).toBe(twin);
    expect(toHex(twin.digest)).not.toBe(toHex(genuine.digest));
    const twinBlock = decodeBlock(twin.block, limits);
    expect(toHex(blockHash(twinBlock.header))).toBe(toHex(twin.digest));
    expect(twinBlock.txs.map((tx) => tx.hashHex)).toEqual(txs.map((tx) => tx.hashHex));
    expect(verifyPbftSignature(CHAIN_ID, twin, native[1])).toBe(true);
  });

  it('the Byzantine mode exists only under NODE_ENV=test', () => {
    expect(testByzantineModeFrom({})).toBeUndefined();
    expect(testByzantineModeFrom({ NODE_ENV: 'test', ACCORD_TEST_BYZANTINE: 'equivocate' })).toBe('equivocate');
    expect(() => testByzantineModeFrom({ NODE_ENV: 'production', ACCORD_TEST_BYZANTINE: 'equivocate' })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
    expect(() => testByzantineModeFrom({ NODE_ENV: 'test', ACCORD_TEST_BYZANTINE: 'lie' })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
  });
});
