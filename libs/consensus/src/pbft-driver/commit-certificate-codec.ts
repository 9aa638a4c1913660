import { FieldMap, ProtoWriter } from '#chain';
import { AccordError } from '#common';
import { decodePbftMessage, encodePbftMessage } from '../pbft/codec.js';
import type { CommitCertificate, CommitMessage } from '../pbft/types.js';

/*
 * Storage format of a block's commit certificate (the `certificate` of a stored block):
 *
 *   message CommitCertificate { repeated bytes commits = 1; }  // each an encoded PbftMessage (commit)
 */

/** Encodes a commit certificate for storage next to its block. */
export function encodeCommitCertificate(certificate: CommitCertificate): Uint8Array {
  const writer = new ProtoWriter(256);
  for (const commit of certificate) writer.repeatedBytes(1, encodePbftMessage(commit));
  return writer.finish();
}

/** Decodes a stored commit certificate; throws AccordError `PBFT_CERT_DECODE` on anything else. */
export function decodeCommitCertificate(bytes: Uint8Array): CommitMessage[] {
  let parts: Uint8Array[];
  try {
    parts = new FieldMap(bytes, { 1: 2 }, [1]).readRepeated(1);
  } catch (error) {
    throw new AccordError('PBFT_CERT_DECODE', `not a commit certificate: ${String(error)}`);
  }
  return parts.map((part) => {
    const decoded = decodePbftMessage(part);
    if (!decoded.ok) throw new AccordError('PBFT_CERT_DECODE', decoded.error.message);
    if (decoded.message.type !== 'commit') throw new AccordError('PBFT_CERT_DECODE', `certificate holds a ${decoded.message.type} message`);
    return decoded.message;
  });
}
