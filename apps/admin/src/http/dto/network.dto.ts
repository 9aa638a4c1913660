import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, Matches } from 'class-validator';
import { NODE_ID_PATTERN } from './register.dto.js';

export class AddNodeDto {
  @ApiProperty({ type: String, pattern: NODE_ID_PATTERN.source, description: 'Node id of an approved validator member with an active certificate' })
  @IsString()
  @Matches(NODE_ID_PATTERN)
  nodeId!: string;

  @ApiProperty({ type: String, enum: ['learner', 'observer'], description: 'A learner receives every block and can be promoted to voter; an observer never votes' })
  @IsIn(['learner', 'observer'])
  role!: 'learner' | 'observer';
}

export class NodeChangeDto {
  @ApiProperty({ type: String, enum: ['node-add', 'node-promote', 'node-remove'] })
  change!: string;

  @ApiProperty({ type: String })
  nodeId!: string;

  @ApiProperty({ type: String, enum: ['submitted', 'queued'], description: 'submitted: a validator accepted the transaction; queued: none could be reached, it waits in the governance outbox' })
  status!: string;

  @ApiProperty({ type: String, nullable: true, description: 'Hash of the governance transaction, hex' })
  txHash!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'Governance account nonce it used' })
  nonce!: string | null;
}

export class NetworkNodeDto {
  @ApiProperty({ type: String })
  nodeId!: string;

  @ApiProperty({ type: String })
  organization!: string;

  @ApiProperty({ type: String, enum: ['voter', 'learner', 'observer', 'removed'] })
  role!: string;

  @ApiProperty({ type: String, description: 'Compressed secp256k1 consensus key, hex' })
  consensusPublicKey!: string;

  @ApiProperty({ type: String, description: 'SHA-256 of its TLS SubjectPublicKeyInfo, hex' })
  spkiSha256!: string;

  @ApiProperty({ type: String })
  p2pAddress!: string;

  @ApiProperty({ type: String })
  apiUrl!: string;

  @ApiProperty({ type: Number, description: 'Height of the block that gave it its role' })
  sinceHeight!: number;

  @ApiProperty({ type: Boolean, description: 'Answered the admin’s last /v1/status poll' })
  reachable!: boolean;

  @ApiProperty({ type: Number, nullable: true, description: 'Height it reported in that poll' })
  height!: number | null;

  @ApiProperty({ type: String, nullable: true })
  lastCheckedAt!: string | null;
}

export class LastNodeChangeDto {
  @ApiProperty({ type: String, enum: ['node-add', 'node-promote', 'node-remove'] })
  change!: string;

  @ApiProperty({ type: String })
  nodeId!: string;

  @ApiProperty({ type: String })
  txHash!: string;

  @ApiProperty({ type: String })
  nonce!: string;

  @ApiProperty({ type: String })
  submittedAt!: string;

  @ApiProperty({ type: String, enum: ['pending', 'queued', 'committed', 'rejected', 'unknown', 'unreachable'], description: 'unknown: no validator knows it (dropped); unreachable: no validator answered' })
  state!: string;
}

export class NetworkNodesDto {
  @ApiProperty({ type: String, description: 'Node id of the validator whose answer this is (the most advanced reachable one)' })
  source!: string;

  @ApiProperty({ type: String, enum: ['solo', 'raft', 'pbft'] })
  consensus!: string;

  @ApiProperty({ type: Number, description: 'Head height the node set was read at' })
  height!: number;

  @ApiProperty({ type: Number, description: 'Height from which the current voters decide' })
  votersSince!: number;

  @ApiProperty({ type: [NetworkNodeDto] })
  nodes!: NetworkNodeDto[];

  @ApiProperty({ type: LastNodeChangeDto, nullable: true, description: 'The last node change a validator accepted' })
  lastChange!: LastNodeChangeDto | null;
}
