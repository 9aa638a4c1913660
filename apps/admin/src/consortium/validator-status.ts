import type { DataSource } from 'typeorm';
import { MemberEntity } from '../db/entities/index.js';
import { iso, type Clock } from '../clock.js';

/** The last thing the admin app learned about a validator. */
export interface ValidatorStatus {
  memberId: string;
  nodeId: string;
  organisationId: string;
  memberStatus: string;
  p2pAddress: string | null;
  restUrl: string | null;
  reachable: boolean;
  lastCheckedAt: string | null;
  lastSeenAt: string | null;
  /** The validator's own `/v1/status` body (as reported), when reachable. */
  reported: Record<string, unknown> | null;
  error: string | null;
}

interface Observation {
  reachable: boolean;
  lastCheckedAt: string;
  lastSeenAt: string | null;
  reported: Record<string, unknown> | null;
  error: string | null;
}

const REQUEST_TIMEOUT_MS = 2_000;
const MAX_STATUS_BYTES = 64 * 1024;

/**
 * Polls each validator's `GET /v1/status`. A validator that is down is simply shown as
 * unreachable with the error; the last time it was seen is kept.
 */
export class ValidatorStatusPoller {
  private readonly observations = new Map<string, Observation>();
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  /** Starts periodic polling (no-op for intervals ≤ 0). */
  start(intervalMs: number): void {
    if (intervalMs <= 0 || this.timer) return;
    this.timer = setInterval(() => void this.pollOnce(), intervalMs);
    this.timer.unref();
    void this.pollOnce();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** Polls every validator once (concurrent polls share one run). */
  pollOnce(): Promise<void> {
    this.running ??= this.pollAll().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** Every validator with its last observation. */
  async list(): Promise<ValidatorStatus[]> {
    const validators = await this.validators();
    return validators.map((member) => {
      const seen = this.observations.get(member.id);
      return {
        memberId: member.id,
        nodeId: member.nodeId ?? '',
        organisationId: member.organisationId,
        memberStatus: member.status,
        p2pAddress: member.p2pAddress,
        restUrl: member.restUrl,
        reachable: seen?.reachable ?? false,
        lastCheckedAt: seen?.lastCheckedAt ?? null,
        lastSeenAt: seen?.lastSeenAt ?? null,
        reported: seen?.reported ?? null,
        error: seen?.error ?? null,
      };
    });
  }

  private validators(): Promise<MemberEntity[]> {
    return this.dataSource.getRepository(MemberEntity).find({ where: { role: 'validator' }, order: { nodeId: 'ASC' } });
  }

  private async pollAll(): Promise<void> {
    const validators = (await this.validators()).filter((member) => member.restUrl && member.status !== 'revoked');
    await Promise.all(validators.map((member) => this.poll(member)));
  }

  private async poll(member: MemberEntity): Promise<void> {
    const checkedAt = iso(this.clock());
    const previous = this.observations.get(member.id);
    try {
      const response = await this.fetchImpl(new URL('/v1/status', member.restUrl!), { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
      const text = await response.text();
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      if (text.length > MAX_STATUS_BYTES) throw new Error('status body too large');
      const body: unknown = JSON.parse(text);
      const reported = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : { value: body };
      this.observations.set(member.id, { reachable: true, lastCheckedAt: checkedAt, lastSeenAt: checkedAt, reported, error: null });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.observations.set(member.id, { reachable: false, lastCheckedAt: checkedAt, lastSeenAt: previous?.lastSeenAt ?? null, reported: null, error: message });
    }
  }
}
