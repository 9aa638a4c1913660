import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { PbftReplica } from './replica.js';
import type { CommittedBlock, PbftConfig, PbftPersistentState } from './replica-types.js';
import type { PbftAuthenticator, PbftMessage, ProposalVerdict } from './types.js';

/**
 * Test support for the PBFT specs: an HMAC keyring standing in for secp256k1, a trivial block
 * format, and a lock-step in-memory cluster with a message filter for fault injection.
 */

const utf8 = new TextEncoder();

/** Per-validator HMAC-SHA256 keys: only the holder of an id's key can sign as it. */
export class HmacKeyring {
  private readonly secrets: Map<string, Uint8Array>;

  constructor(ids: readonly string[]) {
    this.secrets = new Map(ids.map((id) => [id, sha256(utf8.encode(`test-key/${id}`))]));
  }

  /** The authenticator of the node holding `id`'s key. */
  authenticatorFor(id: string): PbftAuthenticator {
    const secret = this.secrets.get(id) as Uint8Array;
    return { sign: (bytes) => hmac(sha256, secret, bytes), verify: (vid, bytes, sig) => this.verify(vid, bytes, sig) };
  }

  /** Checks `signature` as `validatorId`'s HMAC over `bytes`. */
  verify(validatorId: string, bytes: Uint8Array, signature: Uint8Array): boolean {
    const secret = this.secrets.get(validatorId);
    if (secret === undefined) return false;
    const expected = hmac(sha256, secret, bytes);
    return expected.length === signature.length && expected.every((b, i) => b === signature[i]);
  }
}

/** A test block: the text `block:<height>:<tag>`. Tags starting with `bad` make the application reject it. */
export function testBlock(height: number, tag: string): Uint8Array {
  return utf8.encode(`block:${height}:${tag}`);
}

/** The application's verdict on a test block. */
export function validateTestBlock(height: number, block: Uint8Array): ProposalVerdict {
  const [kind, h, tag] = new TextDecoder().decode(block).split(':');
  if (kind !== 'block' || Number(h) !== height || tag.startsWith('bad')) return { ok: false, code: 'TEST_BLOCK_INVALID' };
  return { ok: true, digest: sha256(block) };
}

/** One message in the test network. */
export interface TestEnvelope {
  readonly from: string;
  readonly to: string;
  readonly message: PbftMessage;
}

/** A lock-step cluster: messages queue until `deliverAll`, where `filter` may drop them. */
export class TestCluster {
  readonly ids: string[];
  readonly keyring: HmacKeyring;
  readonly replicas = new Map<string, PbftReplica>();
  readonly committed = new Map<string, CommittedBlock[]>();
  readonly persisted = new Map<string, PbftPersistentState>();
  readonly syncRequests = new Map<string, number>();
  queue: TestEnvelope[] = [];
  filter: (envelope: TestEnvelope) => boolean = () => true;

  constructor(
    validatorCount: number,
    private readonly overrides: Partial<PbftConfig> = {},
    private readonly authenticators?: ReadonlyMap<string, PbftAuthenticator>,
  ) {
    this.ids = Array.from({ length: validatorCount }, (_, i) => `n${i}`);
    this.keyring = new HmacKeyring(this.ids);
    for (const id of this.ids) {
      this.replicas.set(id, this.createReplica(id));
      this.committed.set(id, []);
    }
  }

  /** The configuration every replica gets (with the constructor's overrides). */
  configFor(id: string): PbftConfig {
    return {
      chainId: 'test-chain',
      selfId: id,
      validators: this.ids,
      authenticator: this.authenticators?.get(id) ?? this.keyring.authenticatorFor(id),
      validateProposal: validateTestBlock,
      blockDigest: sha256,
      checkpointIntervalHeights: 2,
      viewChangeTimeoutTicks: 10,
      ...this.overrides,
    };
  }

  /** Replaces `id`'s replica with one restored from its last persisted state. */
  restart(id: string): PbftReplica {
    const replica = this.createReplica(id, this.persisted.get(id));
    this.replicas.set(id, replica);
    return replica;
  }

  /** The replica of `id`. */
  replica(id: string): PbftReplica {
    return this.replicas.get(id) as PbftReplica;
  }

  /** Heights committed by `id`, in order. */
  heights(id: string): number[] {
    return (this.committed.get(id) ?? []).map((b) => b.height);
  }

  /** Lets the primary (if ready) propose `block:<h>:<tag>@<primary id>`. */
  propose(tag = 'ok'): void {
    for (const [id, replica] of this.replicas) {
      if (replica.readyToPropose()) replica.propose(testBlock(replica.nextHeight(), `${tag}@${id}`));
    }
  }

  /** Drains every replica's Ready into the queue and the records. */
  flush(): void {
    for (const [id, replica] of this.replicas) {
      while (replica.hasReady()) {
        const rd = replica.ready();
        if (rd.persist !== undefined) this.persisted.set(id, rd.persist);
        for (const message of rd.messages) for (const to of this.ids) if (to !== id) this.queue.push({ from: id, to, message });
        this.committed.get(id)?.push(...rd.committed);
        if (rd.needSyncHeight !== undefined) this.syncRequests.set(id, rd.needSyncHeight);
        replica.advance(rd);
      }
    }
  }

  /** Delivers queued messages (through `filter`) until the network is quiet. */
  deliverAll(maxMessages = 100_000): void {
    this.flush();
    for (let delivered = 0; this.queue.length > 0 && delivered < maxMessages; delivered++) {
      const envelope = this.queue.shift() as TestEnvelope;
      if (this.filter(envelope)) this.replica(envelope.to).step(envelope.message);
      this.flush();
    }
  }

  /** Ticks every replica `count` times, delivering after each tick. */
  tick(count: number, proposeTag?: string): void {
    for (let i = 0; i < count; i++) {
      for (const replica of this.replicas.values()) replica.tick();
      if (proposeTag !== undefined) this.propose(proposeTag);
      this.deliverAll();
    }
  }

  private createReplica(id: string, restored?: PbftPersistentState): PbftReplica {
    return new PbftReplica(this.configFor(id), restored);
  }
}
