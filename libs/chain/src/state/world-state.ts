import { fromHex } from '../bytes.js';
import { LtHash } from './lthash.js';
import {
  accountEntryBytes,
  isEmptyAccount,
  memberEntryBytes,
  nodeEntryBytes,
  recordEntryBytes,
  type Account,
  type Member,
  type NetworkNode,
  type RecordEntry,
} from './entries.js';

/** Read access to the world state. Keys are lowercase hex (addresses, public keys) or record keys. */
export interface StateReader {
  account(addressHex: string): Account | undefined;
  member(publicKeyHex: string): Member | undefined;
  record(key: string): RecordEntry | undefined;
  node(nodeId: string): NetworkNode | undefined;
  /** Every node ever added (removed ones included), by node id. */
  nodeIds(): Iterable<string>;
}

/** What a block changed: the final value of every touched entry. */
export interface StateChanges {
  accounts: ReadonlyMap<string, Account>;
  members: ReadonlyMap<string, Member>;
  records: ReadonlyMap<string, RecordEntry>;
  nodes: ReadonlyMap<string, NetworkNode>;
}

/** The canonical entries a block takes out of the state commitment and puts into it. */
export interface EntryChanges {
  removed: Uint8Array[];
  added: Uint8Array[];
}

/** What a block changed, with the resulting commitment. */
export interface StateDiff extends StateChanges {
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
  readonly nodes = new Map<string, NetworkNode>();
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

  node(nodeId: string): NetworkNode | undefined {
    return this.nodes.get(nodeId);
  }

  nodeIds(): Iterable<string> {
    return this.nodes.keys();
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
  load(entries: {
    accounts?: Iterable<[string, Account]>;
    members?: Iterable<[string, Member]>;
    records?: Iterable<[string, RecordEntry]>;
    nodes?: Iterable<[string, NetworkNode]>;
  }): void {
    for (const [key, value] of entries.accounts ?? []) this.accounts.set(key, value);
    for (const [key, value] of entries.members ?? []) this.members.set(key, value);
    for (const [key, value] of entries.records ?? []) this.records.set(key, value);
    for (const [key, value] of entries.nodes ?? []) this.nodes.set(key, value);
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
    for (const [key, node] of this.nodes) fresh.add(nodeEntryBytes(key, node));
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
    for (const [key, node] of diff.nodes) this.nodes.set(key, node);
    this.accumulator = diff.lthash.clone();
  }
}

/** Anything an overlay can sit on: a reader with a commitment. */
export interface CommittedState extends StateReader {
  lthash(): LtHash;
}

/**
 * The state after blocks that are validated but not committed yet: each block's changes are
 * laid over the committed base in turn, so a run of blocks can be validated one on top of the
 * other and then committed together. One layer whatever the run's length, so reads stay O(1).
 */
export class PendingState implements CommittedState {
  private readonly accounts = new Map<string, Account>();
  private readonly members = new Map<string, Member>();
  private readonly records = new Map<string, RecordEntry>();
  private readonly nodes = new Map<string, NetworkNode>();
  private accumulator: LtHash | undefined;

  constructor(private readonly base: CommittedState) {
    this.accumulator = base.lthash();
  }

  account(addressHex: string): Account | undefined {
    return this.accounts.get(addressHex) ?? this.base.account(addressHex);
  }

  member(publicKeyHex: string): Member | undefined {
    return this.members.get(publicKeyHex) ?? this.base.member(publicKeyHex);
  }

  record(key: string): RecordEntry | undefined {
    return this.records.get(key) ?? this.base.record(key);
  }

  node(nodeId: string): NetworkNode | undefined {
    return this.nodes.get(nodeId) ?? this.base.node(nodeId);
  }

  nodeIds(): Iterable<string> {
    return new Set([...this.base.nodeIds(), ...this.nodes.keys()]);
  }

  lthash(): LtHash {
    if (!this.accumulator) throw new Error('the state commitment of these pending changes is not known yet');
    return this.accumulator.clone();
  }

  /** Lays a validated block's changes over this state (taken from an overlay on this state). */
  apply(diff: StateDiff): void {
    this.applyChanges(diff);
    this.accumulator = diff.lthash.clone();
  }

  /**
   * Lays a block's changes over this state without their commitment, which is being computed
   * elsewhere: the state can then execute further blocks, but has no commitment of its own
   * (`lthash()` throws) until `apply` gives it one.
   */
  applyChanges(changes: StateChanges): void {
    for (const [key, account] of changes.accounts) this.accounts.set(key, account);
    for (const [key, member] of changes.members) this.members.set(key, member);
    for (const [key, record] of changes.records) this.records.set(key, record);
    for (const [key, node] of changes.nodes) this.nodes.set(key, node);
    this.accumulator = undefined;
  }
}

/**
 * A copy-on-write view used to execute a block: reads fall through to the base, writes stay
 * here until `diff()` is taken. The base is never modified, so an invalid block leaves no trace.
 */
export class StateOverlay implements StateReader {
  private readonly accounts = new Map<string, Account>();
  private readonly members = new Map<string, Member>();
  private readonly records = new Map<string, RecordEntry>();
  private readonly nodes = new Map<string, NetworkNode>();

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

  node(nodeId: string): NetworkNode | undefined {
    return this.nodes.get(nodeId) ?? this.base.node(nodeId);
  }

  nodeIds(): Iterable<string> {
    return new Set([...this.base.nodeIds(), ...this.nodes.keys()]);
  }

  /** Whether this overlay already changed the node set (one change per block). */
  hasNodeChange(): boolean {
    return this.nodes.size > 0;
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

  setNode(nodeId: string, node: NetworkNode): void {
    this.nodes.set(nodeId, node);
  }

  /** The entries the changes take out of the state commitment and put into it. */
  entryChanges(): EntryChanges {
    const removed: Uint8Array[] = [];
    const added: Uint8Array[] = [];
    for (const [key, account] of this.accounts) {
      const keyBytes = hexBytes(key);
      const before = this.base.account(key);
      if (before && !isEmptyAccount(before)) removed.push(accountEntryBytes(keyBytes, before));
      if (!isEmptyAccount(account)) added.push(accountEntryBytes(keyBytes, account));
    }
    for (const [key, member] of this.members) {
      const keyBytes = hexBytes(key);
      const before = this.base.member(key);
      if (before) removed.push(memberEntryBytes(keyBytes, before));
      added.push(memberEntryBytes(keyBytes, member));
    }
    for (const [key, record] of this.records) {
      const before = this.base.record(key);
      if (before) removed.push(recordEntryBytes(key, before));
      added.push(recordEntryBytes(key, record));
    }
    for (const [key, node] of this.nodes) {
      const before = this.base.node(key);
      if (before) removed.push(nodeEntryBytes(key, before));
      added.push(nodeEntryBytes(key, node));
    }
    return { removed, added };
  }

  /** The changed entries, without the commitment (see `diff`). */
  changes(): StateChanges {
    return { accounts: this.accounts, members: this.members, records: this.records, nodes: this.nodes };
  }

  /** The changes with the updated commitment: remove each old entry, add each new one. */
  diff(): StateDiff {
    const lthash = this.base.lthash();
    const { removed, added } = this.entryChanges();
    for (const entry of removed) lthash.remove(entry);
    for (const entry of added) lthash.add(entry);
    return { ...this.changes(), lthash, stateRoot: lthash.digest() };
  }
}
