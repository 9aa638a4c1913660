import { backoffDelayMs, type BackoffPolicy, type JitterSource } from './backoff.js';

interface DialState {
  attempt: number;
  timer: NodeJS.Timeout | undefined;
  dialing: boolean;
}

/** What the {@link Redialer} needs from its owner. */
export interface RedialerOptions {
  readonly backoff: BackoffPolicy;
  readonly random: JitterSource;
  /** Whether `nodeId` should be dialed now (registered, not self, no link yet, running). */
  readonly wanted: (nodeId: string) => boolean;
  /** Dials once; resolves true when TLS verification passed (the link then reports its fate). */
  readonly dial: (nodeId: string) => Promise<boolean>;
}

/**
 * Per-peer reconnect scheduling: at most one timer or dial in flight per peer, with the delay
 * growing by {@link backoffDelayMs} on every failure and reset once a link is established.
 */
export class Redialer {
  private readonly states = new Map<string, DialState>();

  constructor(private readonly options: RedialerOptions) {}

  /**
   * Dials `nodeId` after the backoff for `failures` more failed attempts (0: at once, unless it
   * already failed before). Does nothing while a dial or timer is pending or when not wanted.
   */
  schedule(nodeId: string, failures: number): void {
    if (!this.options.wanted(nodeId)) return;
    let state = this.states.get(nodeId);
    if (!state) {
      state = { attempt: 0, timer: undefined, dialing: false };
      this.states.set(nodeId, state);
    }
    if (state.dialing || state.timer) return;
    state.attempt += failures;
    const delayMs = state.attempt === 0 ? 0 : backoffDelayMs(state.attempt - 1, this.options.backoff, this.options.random);
    const current = state;
    current.timer = setTimeout(() => {
      current.timer = undefined;
      void this.attempt(nodeId, current);
    }, delayMs);
  }

  /** A link to `nodeId` is up: forget its failures and any pending retry. */
  succeeded(nodeId: string): void {
    const state = this.states.get(nodeId);
    if (!state) return;
    state.attempt = 0;
    clearTimeout(state.timer);
    state.timer = undefined;
  }

  /** Stops retrying `nodeId` (removed from the validator set). */
  forget(nodeId: string): void {
    clearTimeout(this.states.get(nodeId)?.timer);
    this.states.delete(nodeId);
  }

  /** Peers with scheduling state. */
  known(): string[] {
    return [...this.states.keys()];
  }

  /** Cancels every pending retry. */
  stop(): void {
    for (const state of this.states.values()) clearTimeout(state.timer);
    this.states.clear();
  }

  private async attempt(nodeId: string, state: DialState): Promise<void> {
    if (!this.options.wanted(nodeId)) return;
    state.dialing = true;
    const verified = await this.options.dial(nodeId);
    state.dialing = false;
    // A verified dial is rescheduled, if needed, when its link closes.
    if (!verified) this.schedule(nodeId, 1);
  }
}
