import type { LinkCloseReason } from './peer-link.js';

/** Events a {@link PeerManager} emits, with their listener signatures. */
export interface PeerEvents {
  /** A link to `nodeId` is established (HELLO exchanged both ways). */
  peerUp: (nodeId: string) => void;
  /** The link to `nodeId` is gone; the manager keeps redialing while it is registered. */
  peerDown: (nodeId: string, reason: LinkCloseReason) => void;
  /** A `send` to `nodeId` was refused for back-pressure and its queue has room again. */
  writable: (nodeId: string) => void;
}

/** Minimal typed event hub; a throwing listener is reported, not propagated into socket code. */
export class PeerEventHub {
  private readonly listeners: { [K in keyof PeerEvents]: Set<PeerEvents[K]> } = {
    peerUp: new Set(),
    peerDown: new Set(),
    writable: new Set(),
  };

  constructor(private readonly onListenerError: (event: keyof PeerEvents, error: unknown) => void) {}

  on<K extends keyof PeerEvents>(event: K, listener: PeerEvents[K]): () => void {
    this.listeners[event].add(listener);
    return () => this.listeners[event].delete(listener);
  }

  emit<K extends keyof PeerEvents>(event: K, ...args: Parameters<PeerEvents[K]>): void {
    for (const listener of this.listeners[event]) {
      try {
        (listener as (...values: Parameters<PeerEvents[K]>) => void)(...args);
      } catch (error) {
        this.onListenerError(event, error);
      }
    }
  }
}
