import { describe, expect, it } from 'vitest';
import { pbftSigningBytes, signingBytesOf, signPbftMessage, verifyPbftSignature, type SigningFields } from './signing.js';
import { HmacKeyring } from './testing.js';
import type { PrepareMessage, ViewChangeMessage } from './types.js';

const base: SigningFields = { chainId: 'accord-main', type: 'commit', view: 2, height: 9, digest: new Uint8Array(32).fill(0xab), sender: 'v1' };
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

describe('PBFT signing bytes', () => {
  it('follow the documented layout', () => {
    const expected =
      Buffer.from('ACCORD/PBFT/1\u0000').toString('hex') +
      '000b' + Buffer.from('accord-main').toString('hex') +
      '03' +
      '0000000000000002' +
      '0000000000000009' +
      '20' + 'ab'.repeat(32) +
      '0002' + Buffer.from('v1').toString('hex');
    expect(hex(signingBytesOf(base))).toBe(expected);
  });

  it('separate every field: chain, type, view, height, digest and sender', () => {
    const variants: SigningFields[] = [
      { ...base, chainId: 'accord-test' },
      { ...base, type: 'prepare' },
      { ...base, view: 3 },
      { ...base, height: 10 },
      { ...base, digest: new Uint8Array(32).fill(0xac) },
      { ...base, sender: 'v2' },
      // Length prefixes keep adjacent variable fields from sliding into each other.
      { ...base, chainId: 'accord-mai', sender: 'nv1' },
    ];
    const all = new Set([hex(signingBytesOf(base)), ...variants.map((v) => hex(signingBytesOf(v)))]);
    expect(all.size).toBe(variants.length + 1);
  });

  it('bind a view-change to every certificate it carries', () => {
    const keyring = new HmacKeyring(['v0', 'v1', 'v2', 'v3']);
    const prepare: PrepareMessage = { type: 'prepare', view: 0, height: 5, digest: new Uint8Array(32).fill(1), sender: 'v2', signature: new Uint8Array(32) };
    const vc = signPbftMessage<ViewChangeMessage>(
      'accord-main',
      {
        type: 'view-change',
        view: 1,
        stableHeight: 4,
        checkpointProof: [],
        prepared: [{ prePrepare: { type: 'pre-prepare', view: 0, height: 5, digest: prepare.digest, block: new Uint8Array([1]), sender: 'v0', signature: new Uint8Array(32) }, prepares: [prepare] }],
        sender: 'v1',
      },
      keyring.authenticatorFor('v1'),
    );
    expect(verifyPbftSignature('accord-main', vc, keyring.authenticatorFor('v0'))).toBe(true);
    const altered: ViewChangeMessage = { ...vc, prepared: [{ ...vc.prepared[0], prepares: [{ ...prepare, height: 6 }] }] };
    expect(verifyPbftSignature('accord-main', altered, keyring.authenticatorFor('v0'))).toBe(false);
    expect(verifyPbftSignature('accord-other', vc, keyring.authenticatorFor('v0'))).toBe(false);
    expect(hex(pbftSigningBytes('accord-main', vc))).not.toBe(hex(pbftSigningBytes('accord-main', altered)));
  });

  it('ignores the signature field itself', () => {
    const prepare: PrepareMessage = { type: 'prepare', view: 0, height: 1, digest: new Uint8Array(32), sender: 'v0', signature: new Uint8Array([1]) };
    expect(pbftSigningBytes('c', prepare)).toEqual(pbftSigningBytes('c', { ...prepare, signature: new Uint8Array([2]) }));
  });
});
