import { P2pError } from './errors.js';

/** One DER element: its tag and where its header and content lie in the source buffer. */
export interface DerElement {
  readonly tag: number;
  readonly start: number;
  readonly contentStart: number;
  readonly end: number;
}

/**
 * Reads the DER element at `offset`. Just enough ASN.1 for CRLs and certificate names (definite
 * lengths, single-byte tags); anything else is reported as P2P_CRL_FORMAT.
 */
export function readDerElement(source: Uint8Array, offset: number, limit = source.length): DerElement {
  if (offset + 2 > limit) throw malformed('truncated element header');
  const tag = source[offset];
  if ((tag & 0x1f) === 0x1f) throw malformed('multi-byte tags are not supported');
  let length = source[offset + 1];
  let contentStart = offset + 2;
  if (length & 0x80) {
    const lengthBytes = length & 0x7f;
    if (lengthBytes === 0 || lengthBytes > 4) throw malformed('unsupported length encoding');
    if (contentStart + lengthBytes > limit) throw malformed('truncated length');
    length = 0;
    for (let i = 0; i < lengthBytes; i++) length = length * 256 + source[contentStart + i];
    contentStart += lengthBytes;
  }
  const end = contentStart + length;
  if (end > limit) throw malformed('element runs past its container');
  return { tag, start: offset, contentStart, end };
}

/** The elements directly inside a constructed element. */
export function derChildren(source: Uint8Array, parent: DerElement): DerElement[] {
  const children: DerElement[] = [];
  let offset = parent.contentStart;
  while (offset < parent.end) {
    const child = readDerElement(source, offset, parent.end);
    children.push(child);
    offset = child.end;
  }
  return children;
}

/** Decodes every `-----BEGIN <label>-----` block of a PEM text into DER. */
export function pemBlocks(pem: string, label: string): Buffer[] {
  const pattern = new RegExp(`-----BEGIN ${label}-----([\\s\\S]*?)-----END ${label}-----`, 'g');
  return [...pem.matchAll(pattern)].map((match) => Buffer.from(match[1].replace(/\s+/g, ''), 'base64'));
}

/** Splits a PEM text into its `-----BEGIN <label>-----` blocks, each kept as PEM text. */
export function splitPem(pem: string, label: string): string[] {
  const pattern = new RegExp(`-----BEGIN ${label}-----[\\s\\S]*?-----END ${label}-----`, 'g');
  return [...pem.matchAll(pattern)].map((match) => `${match[0]}\n`);
}

function malformed(detail: string): P2pError {
  return new P2pError('P2P_CRL_FORMAT', `malformed DER: ${detail}`);
}
