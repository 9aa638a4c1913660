import { Counter, Gauge, type Registry } from 'prom-client';
import type { RefusalReason } from './refusal.js';

/** Which end of a connection refused it. */
export type HandshakeSide = 'listen' | 'dial';

interface TypeTally {
  messages: number;
  bytes: number;
}

/**
 * Per-message-type running totals kept in plain numbers on the hot path and folded into the
 * prom-client counters only when metrics are scraped: a labelled `inc` per message would cost
 * more than the rest of the send path at 100k messages/s.
 */
class TypeTallies {
  readonly totals = new Map<number, TypeTally>();

  add(type: number, bytes: number): void {
    const tally = this.totals.get(type);
    if (tally) {
      tally.messages++;
      tally.bytes += bytes;
    } else {
      this.totals.set(type, { messages: 1, bytes });
    }
  }
}

/** A prom-client `collect` hook that adds to the counter what the totals gained since last scrape. */
function foldInto(tallies: TypeTallies, field: keyof TypeTally, typeName: (type: number) => string) {
  const reported = new Map<number, number>();
  return function (this: Counter<'type'>): void {
    for (const [type, tally] of tallies.totals) {
      const delta = tally[field] - (reported.get(type) ?? 0);
      if (delta > 0) this.inc({ type: typeName(type) }, delta);
      reported.set(type, tally[field]);
    }
  };
}

/** Options of {@link P2pMetrics}. */
export interface P2pMetricsOptions {
  readonly registry: Registry;
  /** Label for a message type, e.g. `raft_append_entries`; defaults to the decimal number. */
  readonly typeName?: (type: number) => string;
}

/** The transport's Prometheus metrics, registered on the given registry. */
export class P2pMetrics {
  /** `accord_p2p_peers_connected`: validators with an established link. */
  readonly peersConnected: Gauge;
  /** `accord_p2p_handshake_failures_total{side,reason}`. */
  readonly handshakeFailures: Counter<'side' | 'reason'>;
  /** `accord_p2p_frames_rejected_total{reason}`: streams closed by the frame decoder. */
  readonly framesRejected: Counter<'reason'>;
  /** `accord_p2p_links_closed_total{reason}`: established links that went down. */
  readonly linksClosed: Counter<'reason'>;
  /** `accord_p2p_send_backpressure_total`: sends refused because a peer's queue was full. */
  readonly sendBackpressure: Counter;
  private readonly sent = new TypeTallies();
  private readonly received = new TypeTallies();

  constructor(options: P2pMetricsOptions) {
    const registers = [options.registry];
    const typeName = options.typeName ?? ((type: number) => String(type));
    new Counter({
      name: 'accord_p2p_sent_messages_total',
      help: 'Messages queued for sending to peers, by message type',
      labelNames: ['type'],
      registers,
      collect: foldInto(this.sent, 'messages', typeName),
    });
    new Counter({
      name: 'accord_p2p_sent_bytes_total',
      help: 'Frame bytes (header + payload) queued for sending to peers, by message type',
      labelNames: ['type'],
      registers,
      collect: foldInto(this.sent, 'bytes', typeName),
    });
    new Counter({
      name: 'accord_p2p_received_messages_total',
      help: 'Messages received from peers, by message type',
      labelNames: ['type'],
      registers,
      collect: foldInto(this.received, 'messages', typeName),
    });
    new Counter({
      name: 'accord_p2p_received_bytes_total',
      help: 'Frame bytes (header + payload) received from peers, by message type',
      labelNames: ['type'],
      registers,
      collect: foldInto(this.received, 'bytes', typeName),
    });
    this.peersConnected = new Gauge({ name: 'accord_p2p_peers_connected', help: 'Validators with an established link', registers });
    this.handshakeFailures = new Counter({
      name: 'accord_p2p_handshake_failures_total',
      help: 'Connections refused during the TLS or HELLO handshake, by side and reason',
      labelNames: ['side', 'reason'],
      registers,
    });
    this.framesRejected = new Counter({
      name: 'accord_p2p_frames_rejected_total',
      help: 'Connections closed because a frame was malformed, by reason',
      labelNames: ['reason'],
      registers,
    });
    this.linksClosed = new Counter({
      name: 'accord_p2p_links_closed_total',
      help: 'Established links closed, by reason',
      labelNames: ['reason'],
      registers,
    });
    this.sendBackpressure = new Counter({
      name: 'accord_p2p_send_backpressure_total',
      help: 'Sends refused because the peer send queue was over its byte bound',
      registers,
    });
  }

  /** Counts one frame queued for sending. */
  recordSent(type: number, frameBytes: number): void {
    this.sent.add(type, frameBytes);
  }

  /** Counts one frame received. */
  recordReceived(type: number, frameBytes: number): void {
    this.received.add(type, frameBytes);
  }

  /** Counts a refused handshake. */
  recordRefusal(side: HandshakeSide, reason: RefusalReason): void {
    this.handshakeFailures.inc({ side, reason });
  }
}
