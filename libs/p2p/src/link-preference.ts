import type { LinkDirection } from './peer-link.js';

/**
 * Decides, when a second link to the same peer completes its HELLO, whether it replaces the
 * existing one. Both validators keep the connection dialed by the lower node id (string order),
 * so when they dial each other at once they agree on the survivor without exchanging a word.
 * When both links were dialed by the same side, the newer one wins: the older is a leftover the
 * dialer already gave up on.
 */
export function newLinkWins(selfNodeId: string, peerNodeId: string, newLink: LinkDirection, existingLink: LinkDirection): boolean {
  const lower = selfNodeId < peerNodeId ? selfNodeId : peerNodeId;
  const dialedByLower = (direction: LinkDirection) => (direction === 'outbound' ? selfNodeId : peerNodeId) === lower;
  if (dialedByLower(newLink) === dialedByLower(existingLink)) return true;
  return dialedByLower(newLink);
}
