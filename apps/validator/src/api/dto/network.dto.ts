import { ApiProperty } from '@nestjs/swagger';

/** One node of the chain's node set, as the state at the head records it. */
export class NetworkNodeView {
  @ApiProperty({ type: String }) nodeId!: string;
  @ApiProperty({ type: String }) organization!: string;
  @ApiProperty({ type: String, enum: ['voter', 'learner', 'observer', 'removed'], description: 'removed is terminal: the id is never reused' }) role!: string;
  @ApiProperty({ type: String, description: 'Compressed secp256k1 key signing its consensus messages, hex' }) consensusPublicKey!: string;
  @ApiProperty({ type: String, description: 'SHA-256 of its TLS SubjectPublicKeyInfo, hex: its p2p identity' }) spkiSha256!: string;
  @ApiProperty({ type: String, description: 'host:port of its p2p listener' }) p2pAddress!: string;
  @ApiProperty({ type: String, description: 'Base URL of its REST API' }) apiUrl!: string;
  @ApiProperty({ type: Number, description: 'Height of the block that gave it its role (0 for genesis validators)' }) sinceHeight!: number;
}

/** The chain's node set at the head. */
export class NetworkNodesView {
  @ApiProperty({ type: Number, description: 'Height of the head block this view was read at' }) height!: number;
  @ApiProperty({ type: Number, description: 'Height from which the current voters decide (last promotion or removal; 0 if none)' }) votersSince!: number;
  @ApiProperty({ type: [NetworkNodeView], description: 'Every node ever added, removed ones included, by node id' }) nodes!: NetworkNodeView[];
}
