import type { RandomSource } from '#consensus';
import type { NetworkOptions, SimNetwork } from './net.js';

/**
 * Seeded fault schedules for simulations, independent of the protocol: network faults are
 * applied to a `SimNetwork` here; crashes and restarts are handed back to the cluster harness,
 * which owns node state.
 */

/** One scheduled fault. */
export type FaultEvent =
  | { readonly kind: 'partition'; readonly groups: readonly (readonly string[])[] }
  | { readonly kind: 'isolate'; readonly id: string }
  | { readonly kind: 'blockLink'; readonly from: string; readonly to: string }
  | { readonly kind: 'heal' }
  | { readonly kind: 'network'; readonly options: Partial<NetworkOptions> }
  /** `beforePersist`: the node dies with work it received but did not persist yet. */
  | { readonly kind: 'crash'; readonly id: string; readonly beforePersist: boolean }
  | { readonly kind: 'restart'; readonly id: string };

/** Per-tick probabilities of each kind of fault during the fault phase. */
export interface FaultProfile {
  readonly name: string;
  readonly partitionPerTick: number;
  readonly oneWayPerTick: number;
  readonly healPerTick: number;
  readonly crashPerTick: number;
  readonly restartPerTick: number;
  /** Probability per tick that a node crashes and restarts at once (a reboot). */
  readonly bouncePerTick: number;
  /** Probability per tick of re-rolling drop/duplicate/delay knobs. */
  readonly networkChangePerTick: number;
  readonly maxDropProbability: number;
  readonly maxDuplicateProbability: number;
  readonly maxDelayTicks: number;
}

/** Built-in profiles, from a quiet network to everything at once. */
export const FAULT_PROFILES: readonly FaultProfile[] = Object.freeze([
  profile('calm', {}),
  profile('lossy', { networkChangePerTick: 0.02, maxDropProbability: 0.3, maxDuplicateProbability: 0.2, maxDelayTicks: 6 }),
  profile('partitions', { partitionPerTick: 0.02, oneWayPerTick: 0.01, healPerTick: 0.03 }),
  profile('crashes', { crashPerTick: 0.015, restartPerTick: 0.04, bouncePerTick: 0.03 }),
  profile('chaos', {
    partitionPerTick: 0.015,
    oneWayPerTick: 0.01,
    healPerTick: 0.03,
    crashPerTick: 0.01,
    restartPerTick: 0.04,
    bouncePerTick: 0.01,
    networkChangePerTick: 0.02,
    maxDropProbability: 0.2,
    maxDuplicateProbability: 0.1,
    maxDelayTicks: 5,
  }),
]);

function profile(name: string, overrides: Partial<FaultProfile>): FaultProfile {
  return {
    name,
    partitionPerTick: 0,
    oneWayPerTick: 0,
    healPerTick: 0,
    crashPerTick: 0,
    restartPerTick: 0,
    bouncePerTick: 0,
    networkChangePerTick: 0,
    maxDropProbability: 0,
    maxDuplicateProbability: 0,
    maxDelayTicks: 3,
    ...overrides,
  };
}

/** Draws the faults of one tick. `down` is the set of nodes currently crashed. */
export function drawFaults(
  ids: readonly string[],
  random: RandomSource,
  faults: FaultProfile,
  down: ReadonlySet<string>,
): FaultEvent[] {
  const events: FaultEvent[] = [];
  const pick = <T>(items: readonly T[]): T => items[random.nextInt(items.length)];
  if (random.nextFloat() < faults.partitionPerTick) {
    if (random.nextFloat() < 0.4) {
      events.push({ kind: 'isolate', id: pick(ids) });
    } else {
      const shuffled = shuffle(ids, random);
      const cut = 1 + random.nextInt(ids.length - 1);
      events.push({ kind: 'partition', groups: [shuffled.slice(0, cut), shuffled.slice(cut)] });
    }
  }
  if (random.nextFloat() < faults.oneWayPerTick) {
    const from = pick(ids);
    const to = pick(ids.filter((id) => id !== from));
    events.push({ kind: 'blockLink', from, to });
  }
  if (random.nextFloat() < faults.healPerTick) events.push({ kind: 'heal' });
  if (random.nextFloat() < faults.crashPerTick) {
    const up = ids.filter((id) => !down.has(id));
    if (up.length > 0) events.push({ kind: 'crash', id: pick(up), beforePersist: random.nextFloat() < 0.5 });
  }
  if (down.size > 0 && random.nextFloat() < faults.restartPerTick) events.push({ kind: 'restart', id: pick([...down]) });
  if (random.nextFloat() < faults.bouncePerTick) {
    const up = ids.filter((id) => !down.has(id));
    if (up.length > 0) {
      const id = pick(up);
      events.push({ kind: 'crash', id, beforePersist: false }, { kind: 'restart', id });
    }
  }
  if (random.nextFloat() < faults.networkChangePerTick) {
    const maxDelayTicks = 1 + random.nextInt(faults.maxDelayTicks);
    events.push({
      kind: 'network',
      options: {
        minDelayTicks: 1,
        maxDelayTicks,
        dropProbability: random.nextFloat() * faults.maxDropProbability,
        duplicateProbability: random.nextFloat() * faults.maxDuplicateProbability,
      },
    });
  }
  return events;
}

/** Applies a network fault; returns false for crash/restart, which the harness handles. */
export function applyNetworkFault<M>(net: SimNetwork<M>, event: FaultEvent): boolean {
  switch (event.kind) {
    case 'partition':
      net.partition(event.groups);
      return true;
    case 'isolate':
      net.isolate(event.id);
      return true;
    case 'blockLink':
      net.blockLink(event.from, event.to);
      return true;
    case 'heal':
      net.heal();
      return true;
    case 'network':
      net.setOptions(event.options);
      return true;
    default:
      return false;
  }
}

/** A one-line description of a fault, for traces. */
export function describeFault(event: FaultEvent): string {
  switch (event.kind) {
    case 'partition':
      return `partition ${event.groups.map((g) => g.join(',')).join(' | ')}`;
    case 'isolate':
    case 'restart':
      return `${event.kind} ${event.id}`;
    case 'crash':
      return `crash ${event.id}${event.beforePersist ? ' before-persist' : ''}`;
    case 'blockLink':
      return `block ${event.from}->${event.to}`;
    case 'heal':
      return 'heal';
    case 'network':
      return `network ${JSON.stringify(event.options)}`;
  }
}

/** A seeded Fisher-Yates shuffle (returns a new array). */
export function shuffle<T>(items: readonly T[], random: RandomSource): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = random.nextInt(i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
