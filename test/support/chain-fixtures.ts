import {
  addressOf,
  genesisBlock,
  genesisState,
  parseGenesis,
  publicKeyOf,
  sha256,
  toHex,
  Transaction,
  TxType,
  utf8,
  type Genesis,
  type TxPayload,
} from '#chain';

/** A deterministic test identity. */
export interface TestAccount {
  privateKey: Uint8Array;
  publicKey: Uint8Array;
  publicKeyHex: string;
  address: Uint8Array;
}

/** A deterministic key pair derived from a label. */
export function testAccount(label: string): TestAccount {
  const privateKey = sha256(utf8(`accord test account ${label}`));
  const publicKey = publicKeyOf(privateKey);
  return { privateKey, publicKey, publicKeyHex: toHex(publicKey), address: addressOf(publicKey) };
}

export const CHAIN_ID = 'accord-test';

/** A solo genesis with funded members `member-0..n-1` and one governance key. */
export function testGenesis(options: { members?: number; balance?: bigint; overrides?: Partial<Genesis> } = {}): Genesis {
  const members = Array.from({ length: options.members ?? 4 }, (_, i) => testAccount(`member-${i}`));
  return parseGenesis({
    chainId: CHAIN_ID,
    genesisTime: '2026-01-01T00:00:00.000Z',
    consensus: { type: 'solo', blockIntervalMs: 50, maxTxsPerBlock: 1000, electionTimeoutMs: 1000, heartbeatIntervalMs: 100 },
    powDifficultyBits: 0,
    governanceKeys: [testAccount('governance').publicKeyHex],
    limits: { maxTxBytes: 8192, maxRecordValueBytes: 4096, maxTransferAmount: '1000000000000' },
    members: members.map((m) => ({ publicKey: m.publicKeyHex, role: 'client', organization: 'Org1', balance: String(options.balance ?? 1_000_000n) })),
    validators: [],
    ...options.overrides,
  });
}

/** Signs a transaction for the test chain. */
export function signTx(from: TestAccount, nonce: bigint, payload: TxPayload, chainId = CHAIN_ID): Transaction {
  return Transaction.sign({ chainId, sender: from.publicKey, nonce, payload }, from.privateKey);
}

/** A signed transfer. */
export function transfer(from: TestAccount, to: TestAccount | Uint8Array, amount: bigint, nonce: bigint): Transaction {
  const address = to instanceof Uint8Array ? to : to.address;
  return signTx(from, nonce, { type: TxType.TRANSFER, to: address, amount });
}

export { genesisBlock, genesisState };
