import { fromHex } from '../bytes.js';
import { LtHash } from './lthash.js';
import {
  accountEntryBytes,
  isEmptyAccount,
  memberEntryBytes,
  recordEntryBytes,
  type Account,
  type Member,
  type RecordEntry,
} from './entries.js';

/** Read access to the world state. Keys are lowercase hex (addresses, public keys) or record keys. */
export interface StateReader {
  account(addressHex: string): Account | undefined;
  member(publicKeyHex: string): Member | undefined;
  record(key: string): RecordEntry | undefined;
}

/** What a block changed: the final value of every touched entry, and the resulting commitment. */
export interface StateDiff {
  accounts: ReadonlyMap<string, Account>;
  members: ReadonlyMap<string, Member>;
  records: ReadonlyMap<string, RecordEntry>;
  /** The accumulator after the change. */
  lthash: LtHash;
  /** `lthash.digest()`: the state root after the change. */
  stateRoot: Uint8Array;
}

function hexBytes(hex: string): Uint8Array {
  const bytes = fromHex(hex);
  if (!bytes) throw new Error(`invalid hex key ${hex}`);
  return bytes;
}

/**
 * The whole world state in memory (accounts, members, records) with its LtHash commitment.
 * The ledger persists the same entries in SQL and reloads them at start-up.
 */
export class WorldState implements StateReader {
  readonly accounts = new Map<string, Account>();
  readonly members = new Map<string, Member>();
  readonly records = new Map<string, RecordEntry>();
  private accumulator = new LtHash();

  account(addressHex: string): Account | undefined {
    return this.accounts.get(addressHex);
  }

  member(publicKeyHex: string): Member | undefined {
    return this.members.get(publicKeyHex);
  }

  record(key: string): RecordEntry | undefined {
    return this.records.get(key);
  }

  /** The current state root. */
  root(): Uint8Array {
    return this.accumulator.digest();
  }

  /** A copy of the accumulator (for overlays). */
  lthash(): LtHash {
    return this.accumulator.clone();
  }

  /**
   * Loads entries without touching the accumulator; `restoreAccumulator` or
   * `recomputeAccumulator` must follow. Used by the ledger at start-up.
   */
  load(entries: { accounts?: Iterable<[string, Account]>; members?: Iterable<[string, Member]>; records?: Iterable<[string, RecordEntry]> }): void {
    for (const [key, value] of entries.accounts ?? []) this.accounts.set(key, value);
    for (const [key, value] of entries.members ?? []) this.members.set(key, value);
    for (const [key, value] of entries.records ?? []) this.records.set(key, value);
  }

  /** Sets the accumulator from persisted bytes. */
  restoreAccumulator(lthash: LtHash): void {
    this.accumulator = lthash.clone();
  }

  /** Recomputes the accumulator from every entry (O(state)); used to audit persisted state. */
  recomputeAccumulator(): LtHash {
    const fresh = new LtHash();
    for (const [key, account] of this.accounts) if (!isEmptyAccount(account)) fresh.add(accountEntryBytes(hexBytes(key), account));
    for (const [key, member] of this.members) fresh.add(memberEntryBytes(hexBytes(key), member));
    for (const [key, record] of this.records) fresh.add(recordEntryBytes(key, record));
    return fresh;
  }

  /** Applies a diff produced by an overlay on this state (after the block is durably committed). */
  apply(diff: StateDiff): void {
    for (const [key, account] of diff.accounts) {
      if (isEmptyAccount(account)) this.accounts.delete(key);
      else this.accounts.set(key, account);
    }
    for (const [key, member] of diff.members) this.members.set(key, member);
    for (const [key, record] of diff.records) this.records.set(key, record);
    this.accumulator = diff.lthash.clone();
  }
}

/** Anything an overlay can sit on: a reader with a commitment. */
export interface CommittedState extends StateReader {
  lthash(): LtHash;
}

/**
 * A copy-on-write view used to execute a block: reads fall through to the base, writes stay
 * here until `diff()` is taken. The base is never modified, so an invalid block leaves no trace.
 */
export class StateOverlay implements StateReader {
  private readonly accounts = new Map<string, Account>();
  private readonly members = new Map<string, Member>();
  private readonly records = new Map<string, RecordEntry>();

  constructor(private readonly base: CommittedState) {}

  account(addressHex: string): Account | undefined {
    return this.accounts.get(addressHex) ?? this.base.account(addressHex);
  }

  member(publicKeyHex: string): Member | undefined {
    return this.members.get(publicKeyHex) ?? this.base.member(publicKeyHex);
  }

  record(key: string): RecordEntry | undefined {
    return this.records.get(key) ?? this.base.record(key);
  }

  setAccount(addressHex: string, account: Account): void {
    this.accounts.set(addressHex, account);
  }

  setMember(publicKeyHex: string, member: Member): void {
    this.members.set(publicKeyHex, member);
  }

  setRecord(key: string, record: RecordEntry): void {
    this.records.set(key, record);
  }

  /** The changes with the updated commitment: remove each old entry, add each new one. */
  diff(): StateDiff {
    const lthash = this.base.lthash();
    for (const [key, account] of this.accounts) {
      const keyBytes = hexBytes(key);
      const before = this.base.account(key);
      if (before && !isEmptyAccount(before)) lthash.remove(accountEntryBytes(keyBytes, before));
      if (!isEmptyAccount(account)) lthash.add(accountEntryBytes(keyBytes, account));
    }
    for (const [key, member] of this.members) {
      const keyBytes = hexBytes(key);
      const before = this.base.member(key);
      if (before) lthash.remove(memberEntryBytes(keyBytes, before));
      lthash.add(memberEntryBytes(keyBytes, member));
    }
    for (const [key, record] of this.records) {
      const before = this.base.record(key);
      if (before) lthash.remove(recordEntryBytes(key, before));
      lthash.add(recordEntryBytes(key, record));
    }
    return { accounts: this.accounts, members: this.members, records: this.records, lthash, stateRoot: lthash.digest() };
  }
}
