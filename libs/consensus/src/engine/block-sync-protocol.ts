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
