import { AccordError } from '#common';
import type {
  CheckpointMessage,
  CommitMessage,
  NewViewMessage,
  PbftMessage,
  PrePrepareMessage,
  PrepareMessage,
  PreparedCertificate,
  ViewChangeMessage,
} from './types.js';
import { ProtoWriter, WireFormatError, asPlainBytes, decodeUtf8, readFields, type ProtoField } from './wire.js';

/*
 * Wire schema (protobuf 3, canonical: fields in ascending order, zero values omitted):
 *
 *   message PbftMessage { oneof body { PrePrepare pre_prepare = 1; Vote prepare = 2; Vote commit = 3;
 *                                      Checkpoint checkpoint = 4; ViewChange view_change = 5; NewView new_view = 6; } }
 *   message PrePrepare  { uint64 view = 1; uint64 height = 2; bytes digest = 3; string sender = 4; bytes signature = 5; bytes block = 6; }
 *   message Vote        { uint64 view = 1; uint64 height = 2; bytes digest = 3; string sender = 4; bytes signature = 5; }
 *   message Checkpoint  { uint64 height = 2; bytes digest = 3; string sender = 4; bytes signature = 5; }
 *   message PreparedCertificate { PrePrepare pre_prepare = 1; repeated Vote prepares = 2; }
 *   message ViewChange  { uint64 view = 1; uint64 stable_height = 2; repeated Checkpoint checkpoint_proof = 3;
 *                         repeated PreparedCertificate prepared = 4; string sender = 5; bytes signature = 6; }
 *   message NewView     { uint64 view = 1; repeated ViewChange view_changes = 2; repeated PrePrepare pre_prepares = 3;
 *                         string sender = 4; bytes signature = 5; }
 */

const BODY_FIELD = { 'pre-prepare': 1, prepare: 2, commit: 3, checkpoint: 4, 'view-change': 5, 'new-view': 6 } as const;

/** Largest digest accepted from the wire (SHA-512 size); real digests are 32 bytes. */
export const MAX_DIGEST_BYTES = 64;
/** Largest validator id accepted from the wire, in UTF-8 bytes. */
export const MAX_SENDER_BYTES = 256;

/** Result of decoding untrusted bytes: the message, or a typed error (never an exception). */
export type PbftDecodeResult = { readonly ok: true; readonly message: PbftMessage } | { readonly ok: false; readonly error: AccordError };

/** Encodes a message to its canonical protobuf bytes (deterministic: equal messages, equal bytes). */
export function encodePbftMessage(message: PbftMessage): Uint8Array {
  const writer = new ProtoWriter();
  writer.message(BODY_FIELD[message.type], (w) => writeBody(w, message));
  return writer.finish();
}

/** Decodes bytes received from a peer. Garbage yields `{ok: false, error}` with a `PBFT_DECODE_*` code. */
export function decodePbftMessage(bytes: Uint8Array): PbftDecodeResult {
  try {
    const fields = readFields(asPlainBytes(bytes));
    if (fields.length !== 1 || fields[0].kind !== 'bytes') {
      throw new WireFormatError('PBFT_DECODE_MALFORMED', 'expected exactly one message body');
    }
    const body = fields[0].value;
    const message = decodeBody(fields[0].field, body);
    return { ok: true, message };
  } catch (error) {
    if (error instanceof WireFormatError) return { ok: false, error: new AccordError(error.code, error.message) };
    return { ok: false, error: new AccordError('PBFT_DECODE_MALFORMED', String(error)) };
  }
}

function writeBody(w: ProtoWriter, message: PbftMessage): void {
  switch (message.type) {
    case 'pre-prepare':
      writePrePrepare(w, message);
      return;
    case 'prepare':
    case 'commit':
      writeVote(w, message);
      return;
    case 'checkpoint':
      writeCheckpoint(w, message);
      return;
    case 'view-change':
      writeViewChange(w, message);
      return;
    case 'new-view':
      w.uint(1, message.view);
      for (const vc of message.viewChanges) w.message(2, (inner) => writeViewChange(inner, vc));
      for (const pp of message.prePrepares) w.message(3, (inner) => writePrePrepare(inner, pp));
      w.string(4, message.sender).bytes(5, message.signature);
      return;
  }
}

function writePrePrepare(w: ProtoWriter, m: PrePrepareMessage): void {
  w.uint(1, m.view).uint(2, m.height).bytes(3, m.digest).string(4, m.sender).bytes(5, m.signature).bytes(6, m.block);
}

function writeVote(w: ProtoWriter, m: PrepareMessage | CommitMessage): void {
  w.uint(1, m.view).uint(2, m.height).bytes(3, m.digest).string(4, m.sender).bytes(5, m.signature);
}

/** Writes a checkpoint's fields (shared with the persistent-state codec). */
export function writeCheckpoint(w: ProtoWriter, m: CheckpointMessage): void {
  w.uint(2, m.height).bytes(3, m.digest).string(4, m.sender).bytes(5, m.signature);
}

function writeViewChange(w: ProtoWriter, m: ViewChangeMessage): void {
  w.uint(1, m.view).uint(2, m.stableHeight);
  for (const cp of m.checkpointProof) w.message(3, (inner) => writeCheckpoint(inner, cp));
  for (const cert of m.prepared) w.message(4, (inner) => writePreparedCertificate(inner, cert));
  w.string(5, m.sender).bytes(6, m.signature);
}

/** Writes a prepared certificate's fields (shared with the persistent-state codec). */
export function writePreparedCertificate(w: ProtoWriter, cert: PreparedCertificate): void {
  w.message(1, (inner) => writePrePrepare(inner, cert.prePrepare));
  for (const prepare of cert.prepares) w.message(2, (inner) => writeVote(inner, prepare));
}

function decodeBody(field: number, body: Uint8Array): PbftMessage {
  switch (field) {
    case 1:
      return decodePrePrepare(body);
    case 2:
      return decodeVote(body, 'prepare');
    case 3:
      return decodeVote(body, 'commit');
    case 4:
      return decodeCheckpoint(body);
    case 5:
      return decodeViewChange(body);
    case 6:
      return decodeNewView(body);
    default:
      throw new WireFormatError('PBFT_DECODE_UNKNOWN_TYPE', `unknown message body field ${field}`);
  }
}

/** Scalar fields of one message, last occurrence wins (protobuf semantics); nested ones collected. */
export class FieldBag {
  private readonly numbers = new Map<number, number>();
  private readonly blobs = new Map<number, Uint8Array>();
  private readonly repeated = new Map<number, Uint8Array[]>();

  constructor(bytes: Uint8Array) {
    for (const f of readFields(bytes) as ProtoField[]) {
      if (f.kind === 'varint') {
        this.numbers.set(f.field, f.value);
      } else {
        this.blobs.set(f.field, f.value);
        const list = this.repeated.get(f.field) ?? [];
        list.push(f.value);
        this.repeated.set(f.field, list);
      }
    }
  }

  uint(field: number): number {
    return this.numbers.get(field) ?? 0;
  }

  bytes(field: number): Uint8Array {
    return (this.blobs.get(field) ?? new Uint8Array(0)).slice();
  }

  digest(field: number): Uint8Array {
    const value = this.bytes(field);
    if (value.length === 0 || value.length > MAX_DIGEST_BYTES) {
      throw new WireFormatError('PBFT_DECODE_INVALID_FIELD', `digest must be 1..${MAX_DIGEST_BYTES} bytes`);
    }
    return value;
  }

  sender(field: number): string {
    const raw = this.blobs.get(field) ?? new Uint8Array(0);
    if (raw.length === 0 || raw.length > MAX_SENDER_BYTES) {
      throw new WireFormatError('PBFT_DECODE_INVALID_FIELD', `sender must be 1..${MAX_SENDER_BYTES} bytes`);
    }
    return decodeUtf8(raw);
  }

  signature(field: number): Uint8Array {
    const value = this.bytes(field);
    if (value.length === 0) throw new WireFormatError('PBFT_DECODE_INVALID_FIELD', 'missing signature');
    return value;
  }

  list(field: number): Uint8Array[] {
    return this.repeated.get(field) ?? [];
  }
}

function decodePrePrepare(body: Uint8Array): PrePrepareMessage {
  const bag = new FieldBag(body);
  return {
    type: 'pre-prepare',
    view: bag.uint(1),
    height: bag.uint(2),
    digest: bag.digest(3),
    sender: bag.sender(4),
    signature: bag.signature(5),
    block: bag.bytes(6),
  };
}

function decodeVote(body: Uint8Array, type: 'prepare' | 'commit'): PrepareMessage | CommitMessage {
  const bag = new FieldBag(body);
  return { type, view: bag.uint(1), height: bag.uint(2), digest: bag.digest(3), sender: bag.sender(4), signature: bag.signature(5) };
}

/** Reads a checkpoint body; throws `WireFormatError` on bad input. */
export function decodeCheckpoint(body: Uint8Array): CheckpointMessage {
  const bag = new FieldBag(body);
  return { type: 'checkpoint', height: bag.uint(2), digest: bag.digest(3), sender: bag.sender(4), signature: bag.signature(5) };
}

function decodeViewChange(body: Uint8Array): ViewChangeMessage {
  const bag = new FieldBag(body);
  return {
    type: 'view-change',
    view: bag.uint(1),
    stableHeight: bag.uint(2),
    checkpointProof: bag.list(3).map(decodeCheckpoint),
    prepared: bag.list(4).map(decodePreparedCertificate),
    sender: bag.sender(5),
    signature: bag.signature(6),
  };
}

/** Reads a prepared certificate body; throws `WireFormatError` on bad input. */
export function decodePreparedCertificate(body: Uint8Array): PreparedCertificate {
  const bag = new FieldBag(body);
  const prePrepare = bag.list(1);
  if (prePrepare.length !== 1) throw new WireFormatError('PBFT_DECODE_INVALID_FIELD', 'prepared certificate needs one pre-prepare');
  return {
    prePrepare: decodePrePrepare(prePrepare[0]),
    prepares: bag.list(2).map((b) => decodeVote(b, 'prepare') as PrepareMessage),
  };
}

function decodeNewView(body: Uint8Array): NewViewMessage {
  const bag = new FieldBag(body);
  return {
    type: 'new-view',
    view: bag.uint(1),
    viewChanges: bag.list(2).map(decodeViewChange),
    prePrepares: bag.list(3).map(decodePrePrepare),
    sender: bag.sender(4),
    signature: bag.signature(5),
  };
}
