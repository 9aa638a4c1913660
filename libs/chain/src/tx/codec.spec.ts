import fc from 'fast-check';
import protobuf from 'protobufjs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ChainError, decodeTxBody, encodeTxBody, fromHex, MemberRole, NodeRole, toHex, Transaction, TxType, txSigningDigest, type TxBody } from '#chain';
import { testAccount } from '../../../../test/support/chain-fixtures.js';

// The vectors published in docs/SIGNING.md. Changing any of these breaks every external signer.
const VECTORS = [
  {
    name: 'transfer',
    body: '0a0b6163636f72642d7465737410011a210390c4743018878d1f4a7698ff207a5bae7d57939fcb2929f4c4698921b67c73a62a190a144af853bfb692ee15ad35f0e3e40421c6a4b86e5710e807',
    digest: 'e03f65e321f79ea677bec33a12ded756f42bf8e274a57d21849ea9c5783cb0f3',
    signature: 'e7f6d7dcc01bf7721e825ed16c62f0ba8d5bd89bd9918b13f90b7977db1b9a7f4d9414c7fb77803fd7f099c33ee7b1e6681da2d972c3b7eb6f9fd6c8183a6d31',
    hash: '9c06f2db55139d4b14582b35405f2b08d61039d73de5960e3bdc8b8740bfdbc1',
  },
  {
    name: 'record',
    body: '0a0b6163636f72642d7465737410021a210390c4743018878d1f4a7698ff207a5bae7d57939fcb2929f4c4698921b67c73a6200732320a0e646f632f696e766f6963652d343212208c4e4157ac62218e4bd1fd628d09ff214105bbde5a46f6308b7cbae93fa96183',
    digest: '6d50e05022adc0677c604a364601236e226fa5921e8b7d1424b57e5b1a7d6e1a',
    signature: '6968c84ca87279372a7f288e8fd0bebdd6bc8d376623eb440b9b6c5c6067ef0364d6a83af334094f3e2399af3ce3b44fda26d5b11c70117cbe8182f52d8ac7bb',
    hash: 'dfb1dd4fdefe58815ea11038d4bbc27b997c972d5176e615a71545ded6630372',
  },
  {
    name: 'member add',
    body: '0a0b6163636f72642d7465737410031a2102de33e6fe4af2212853c308713968c99b757c3eaf866b67ab2c812d97aafe08df20013a2b0a210390c4743018878d1f4a7698ff207a5bae7d57939fcb2929f4c4698921b67c73a610011a044f726731',
    digest: 'd8b316b462a891f328d9b3e2f3ba997ac0fe8e045c5a782b636ad850ceb69b07',
    signature: 'e9c074995f88f94d64383ed14b86a1c104212428d83b88c01de886c30c5424610d4ebf279b881fa1d525a27b097d8aef32729d04fbdc4e8276893c1afc5e1353',
    hash: 'c6cbbcda1e773bedf8478b64364072f954f25fb0870650452146c9bfe99132bb',
  },
];

const KEY_1 = 'ae2c7995e26f725457820759edb01b42e23cfcb01d2ee26d8f5474de21bd738c';
const KEY_2 = '0bb0a02b6dfc6a6951bdc3e969b3679c1bf16036a2c3a5f6695dda72cdef32d9';

function hex(text: string): Uint8Array {
  return fromHex(text) as Uint8Array;
}

function signedBytes(vector: (typeof VECTORS)[number]): Uint8Array {
  const body = hex(vector.body);
  // SignedTx { body = 1; signature = 2 }: 0x0a len body 0x12 0x40 sig
  return Uint8Array.from([0x0a, body.length, ...body, 0x12, 0x40, ...hex(vector.signature)]);
}

describe('transaction encoding: published test vectors', () => {
  it.each(VECTORS)('$name: digest, deterministic signature and hash match docs/SIGNING.md', (vector) => {
    const tx = Transaction.fromBytes(signedBytes(vector));
    expect(toHex(tx.bodyBytes)).toBe(vector.body);
    expect(toHex(txSigningDigest(tx.body.chainId, tx.bodyBytes))).toBe(vector.digest);
    expect(tx.hashHex).toBe(vector.hash);
    expect(tx.verifySignature()).toBe(true);
    const privateKey = hex(tx.body.payload.type === TxType.MEMBER_ADD ? KEY_2 : KEY_1);
    const resigned = Transaction.sign(tx.body, privateKey);
    expect(toHex(resigned.signature)).toBe(vector.signature);
    expect(toHex(resigned.bytes)).toBe(toHex(signedBytes(vector)));
  });

  it('another protobuf library (protobufjs, from proto/accord.proto) reads and writes the same bytes', () => {
    const proto = readFileSync(join(import.meta.dirname, '../../proto/accord.proto'), 'utf8');
    const root = protobuf.parse(proto, { keepCase: false }).root;
    const SignedTx = root.lookupType('accord.v1.SignedTx');
    for (const vector of VECTORS) {
      const bytes = signedBytes(vector);
      const decoded = SignedTx.decode(bytes);
      const reencoded = SignedTx.encode(decoded).finish();
      expect(toHex(reencoded)).toBe(toHex(bytes));
    }
    const TxBodyType = root.lookupType('accord.v1.TxBody');
    const transfer = TxBodyType.toObject(TxBodyType.decode(hex(VECTORS[0].body)), { longs: String, bytes: String });
    expect(transfer).toMatchObject({ chainId: 'accord-test', type: 1, transfer: { amount: '1000' } });
    const nodeAdd = TxBodyType.fromObject({
      chainId: 'accord-test',
      type: TxType.NODE_ADD,
      sender: Buffer.from(testAccount('gov').publicKey),
      nonce: 3,
      nodeAdd: { nodeId: 'validator-5', organization: 'Org5', consensusPublicKey: Buffer.alloc(33, 2), spkiSha256: Buffer.alloc(32, 7), p2pAddress: 'h:1', apiUrl: 'http://h:2', role: NodeRole.LEARNER },
    });
    const ours = decodeTxBody(TxBodyType.encode(nodeAdd).finish());
    expect(ours.payload).toMatchObject({ type: TxType.NODE_ADD, nodeId: 'validator-5', p2pAddress: 'h:1', role: NodeRole.LEARNER });
    expect(toHex(TxBodyType.encode(nodeAdd).finish())).toBe(toHex(encodeTxBody(ours)));
  });
});

describe('transaction encoding: round trips and rejections', () => {
  const alice = testAccount('alice');
  const bob = testAccount('bob');

  const bodyArbitrary: fc.Arbitrary<TxBody> = fc.oneof(
    fc.record({ to: fc.uint8Array({ minLength: 20, maxLength: 20 }), amount: fc.bigInt({ min: 1n, max: 2n ** 64n - 1n }) }).map(
      (p) => ({ type: TxType.TRANSFER, ...p }) as const,
    ),
    fc.record({ key: fc.stringMatching(/^[a-z0-9/._-]{1,40}$/), value: fc.uint8Array({ maxLength: 4096 }) }).map((p) => ({ type: TxType.RECORD, ...p }) as const),
    fc.constantFrom(TxType.MEMBER_SUSPEND, TxType.MEMBER_REMOVE, TxType.MEMBER_REINSTATE).map((type) => ({ type, publicKey: bob.publicKey })),
    fc.constant({ type: TxType.MEMBER_ADD, publicKey: bob.publicKey, role: MemberRole.VALIDATOR, organization: 'Org2' } as const),
    fc
      .record({ nodeId: fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,20}$/), spkiSha256: fc.uint8Array({ minLength: 32, maxLength: 32 }), port: fc.integer({ min: 1, max: 65535 }) })
      .map(({ nodeId, spkiSha256, port }) => ({
        type: TxType.NODE_ADD,
        nodeId,
        organization: 'Org3',
        consensusPublicKey: bob.publicKey,
        spkiSha256,
        p2pAddress: `10.0.0.1:${port}`,
        apiUrl: `https://node.example:${port}`,
        role: NodeRole.LEARNER,
      }) as const),
    fc.constantFrom(TxType.NODE_PROMOTE, TxType.NODE_REMOVE).map((type) => ({ type, nodeId: 'validator-5' })),
  ).chain((payload) =>
    fc.record({ chainId: fc.constantFrom('accord-test', 'x', 'c'.repeat(64)), nonce: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }) }).map((b) => ({
      ...b,
      sender: alice.publicKey,
      payload,
    })),
  );

  it('decode(encode(tx)) gives the same transaction, bytes and hash', () => {
    fc.assert(
      fc.property(bodyArbitrary, (body) => {
        const tx = Transaction.sign(body, alice.privateKey);
        const decoded = Transaction.fromBytes(tx.bytes);
        expect(decoded.body).toEqual(body);
        expect(toHex(decoded.bytes)).toBe(toHex(tx.bytes));
        expect(decoded.hashHex).toBe(tx.hashHex);
        expect(decoded.verifySignature()).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('random bytes never escape as anything but a ChainError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        try {
          Transaction.fromBytes(bytes);
        } catch (error) {
          expect(error).toBeInstanceOf(ChainError);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('rejects a non-canonical encoding of a valid transaction (explicit default field)', () => {
    const tx = Transaction.sign({ chainId: 'accord-test', sender: alice.publicKey, nonce: 0n, payload: { type: TxType.TRANSFER, to: bob.address, amount: 5n } }, alice.privateKey);
    // Append an explicit `nonce = 0` (field 4, varint 0) to the body: same message, other bytes.
    const body = Uint8Array.from([...tx.bodyBytes, 0x20, 0x00]);
    const bytes = Uint8Array.from([0x0a, body.length, ...body, 0x12, 0x40, ...tx.signature]);
    expect(() => Transaction.fromBytes(bytes)).toThrowError(expect.objectContaining({ code: 'NON_CANONICAL_ENCODING' }));
  });

  it('rejects a type that disagrees with the payload, unknown fields, and oversized transactions', () => {
    const tx = Transaction.sign({ chainId: 'accord-test', sender: alice.publicKey, nonce: 0n, payload: { type: TxType.TRANSFER, to: bob.address, amount: 5n } }, alice.privateKey);
    const wrongType = Uint8Array.from(tx.bytes);
    const typeOffset = tx.bytes.indexOf(0x10, 2); // field 2 (type) tag inside the body
    wrongType[typeOffset + 1] = TxType.RECORD;
    expect(() => Transaction.fromBytes(wrongType)).toThrowError(expect.objectContaining({ code: 'UNKNOWN_TX_TYPE' }));
    const unknownField = Uint8Array.from([...tx.bytes, 0x18, 0x01]);
    expect(() => Transaction.fromBytes(unknownField)).toThrowError(expect.objectContaining({ code: 'MALFORMED_TX' }));
    expect(() => Transaction.fromBytes(new Uint8Array(9000))).toThrowError(expect.objectContaining({ code: 'TX_TOO_LARGE' }));
  });

  it('rejects structurally invalid bodies with their own codes', () => {
    const base = { chainId: 'accord-test', sender: alice.publicKey, nonce: 0n };
    const cases: Array<[TxBody, string]> = [
      [{ ...base, payload: { type: TxType.TRANSFER, to: bob.address, amount: 0n } }, 'AMOUNT_ZERO'],
      [{ ...base, payload: { type: TxType.TRANSFER, to: bob.address.subarray(0, 19), amount: 1n } }, 'BAD_ADDRESS'],
      [{ ...base, payload: { type: TxType.RECORD, key: 'k', value: new Uint8Array(4097) } }, 'PAYLOAD_TOO_LARGE'],
      [{ ...base, payload: { type: TxType.RECORD, key: 'has space', value: new Uint8Array(1) } }, 'BAD_RECORD_KEY'],
      [{ ...base, sender: alice.publicKey.subarray(1), payload: { type: TxType.TRANSFER, to: bob.address, amount: 1n } }, 'BAD_PUBLIC_KEY'],
      [{ ...base, chainId: '', payload: { type: TxType.TRANSFER, to: bob.address, amount: 1n } }, 'MALFORMED_TX'],
    ];
    for (const [body, code] of cases) {
      expect(() => Transaction.sign(body, alice.privateKey), code).toThrowError(expect.objectContaining({ code }));
    }
  });
});
