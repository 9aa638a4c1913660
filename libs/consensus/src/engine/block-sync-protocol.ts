import { FieldMap, ProtoWriter } from '#chain';

/** Asks a peer for committed blocks [fromHeight, fromHeight + maxBlocks). */
export interface BlockRequest {
  requestId: number;
  fromHeight: bigint;
  maxBlocks: number;
}

/** Committed blocks in height order, with their consensus certificates, and the peer's head. */
export interface BlockResponse {
  requestId: number;
  headHeight: bigint;
  blocks: Uint8Array[];
  certificates: Uint8Array[];
}

/** Encodes a block request (protobuf: 1 request_id, 2 from_height, 3 max_blocks). */
export function encodeBlockRequest(request: BlockRequest): Uint8Array {
  return new ProtoWriter(32).uint32(1, request.requestId).uint64(2, request.fromHeight).uint32(3, request.maxBlocks).finish();
}

/** Decodes a block request; throws WireError on garbage. */
export function decodeBlockRequest(bytes: Uint8Array): BlockRequest {
  const f = new FieldMap(bytes, { 1: 0, 2: 0, 3: 0 });
  return { requestId: f.uint32(1), fromHeight: f.uint64(2), maxBlocks: f.uint32(3) };
}

/** Encodes a block response (1 request_id, 2 head_height, 3 repeated block, 4 repeated certificate). */
export function encodeBlockResponse(response: BlockResponse): Uint8Array {
  const writer = new ProtoWriter(1024).uint32(1, response.requestId).uint64(2, response.headHeight);
  for (const block of response.blocks) writer.repeatedBytes(3, block);
  for (const certificate of response.certificates) writer.repeatedBytes(4, certificate);
  return writer.finish();
}

/** Decodes a block response; throws WireError on garbage. */
export function decodeBlockResponse(bytes: Uint8Array): BlockResponse {
  const f = new FieldMap(bytes, { 1: 0, 2: 0, 3: 2, 4: 2 }, [3, 4]);
  return { requestId: f.uint32(1), headHeight: f.uint64(2), blocks: f.readRepeated(3), certificates: f.readRepeated(4) };
}

/**
 * A node's committed head, broadcast periodically and after commits so lagging peers notice
 * they are behind. `wantsReply` asks every receiver to answer with its own head at once.
 */
export interface HeadAnnouncement {
  height: bigint;
  headHash: Uint8Array;
  wantsReply: boolean;
}

/** Encodes a head announcement (1 height, 2 head_hash, 3 wants_reply). */
export function encodeHeadAnnouncement(announcement: HeadAnnouncement): Uint8Array {
  return new ProtoWriter(64).uint64(1, announcement.height).bytes(2, announcement.headHash).bool(3, announcement.wantsReply).finish();
}

/** Decodes a head announcement; throws WireError on garbage. */
export function decodeHeadAnnouncement(bytes: Uint8Array): HeadAnnouncement {
  const f = new FieldMap(bytes, { 1: 0, 2: 2, 3: 0 });
  return { height: f.uint64(1), headHash: f.bytes(2), wantsReply: f.uint64(3) !== 0n };
}
