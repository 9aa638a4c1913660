/**
 * What consensus drivers need from the network: typed send / broadcast / subscribe between
 * validators. The p2p PeerManager implements it over mutual TLS; simulations implement it in
 * memory.
 */
export interface ConsensusTransport {
  /** Queues a message for one peer; false when there is no link or its queue is full. */
  send(nodeId: string, type: number, payload: Uint8Array): boolean;
  /** Sends to every connected peer; returns who it was queued for. */
  broadcast(type: number, payload: Uint8Array): string[];
  /** Receives messages of one type; returns an unsubscribe function. */
  subscribe(type: number, handler: (fromNodeId: string, payload: Buffer) => void): () => void;
  /** Peers with an established link. */
  connectedPeers(): string[];
}

/** Application message types on the validator network (p2p reserves 0xff00 and above). */
export const ConsensusMessageType = {
  RAFT: 0x0101,
  PBFT: 0x0102,
  TX_FORWARD: 0x0201,
  BLOCK_REQUEST: 0x0301,
  BLOCK_RESPONSE: 0x0302,
  HEAD_ANNOUNCE: 0x0303,
} as const;

/** Metric label of a message type. */
export function consensusMessageTypeName(type: number): string {
  const entry = Object.entries(ConsensusMessageType).find(([, value]) => value === type);
  return entry ? entry[0].toLowerCase() : String(type);
}
