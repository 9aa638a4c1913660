import type { MemberEntity } from '../db/entities/index.js';

/** A membership change that, after genesis, must reach the chain. */
export type MembershipChange = 'add' | 'suspend' | 'reinstate' | 'remove';

/**
 * Receives membership changes after they are committed to the register. The consortium
 * module sends them to the validators as governance transactions once the genesis exists.
 */
export interface MembershipListener {
  /** Returns the governance transaction hash, or undefined when nothing was sent (pre-genesis). */
  membershipChanged(actor: string, change: MembershipChange, member: MemberEntity): Promise<string | undefined>;
}

/** Listener used until the consortium module is wired in (and in unit tests). */
export const NO_MEMBERSHIP_LISTENER: MembershipListener = {
  membershipChanged: () => Promise.resolve(undefined),
};
