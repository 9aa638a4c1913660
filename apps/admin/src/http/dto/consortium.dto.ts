import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsISO8601, IsOptional, Max, Min } from 'class-validator';

export class ValidatorDto {
  @ApiProperty({ type: String })
  memberId!: string;

  @ApiProperty({ type: String })
  nodeId!: string;

  @ApiProperty({ type: String })
  organisationId!: string;

  @ApiProperty({ enum: ['invited', 'active', 'suspended', 'revoked'] })
  memberStatus!: string;

  @ApiProperty({ nullable: true, type: String })
  p2pAddress!: string | null;

  @ApiProperty({ nullable: true, type: String })
  restUrl!: string | null;

  @ApiProperty({ type: Boolean, description: 'Answered its last /v1/status poll' })
  reachable!: boolean;

  @ApiProperty({ nullable: true, type: String })
  lastCheckedAt!: string | null;

  @ApiProperty({ nullable: true, type: String })
  lastSeenAt!: string | null;

  @ApiProperty({ nullable: true, type: 'object', additionalProperties: true, description: "The validator's own status body" })
  reported!: Record<string, unknown> | null;

  @ApiProperty({ nullable: true, type: String })
  error!: string | null;
}

export class GenerateGenesisDto {
  @ApiProperty({ enum: ['raft', 'pbft'] })
  @IsIn(['raft', 'pbft'])
  consensus!: 'raft' | 'pbft';

  @ApiPropertyOptional({ type: Number, minimum: 1, maximum: 600000, default: 1000 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(600_000)
  blockIntervalMs?: number;

  @ApiPropertyOptional({ type: Number, minimum: 1, maximum: 100000, default: 500 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100_000)
  maxTxsPerBlock?: number;

  @ApiPropertyOptional({ type: Number, minimum: 10, maximum: 600000, default: 1500 })
  @IsOptional()
  @IsInt()
  @Min(10)
  @Max(600_000)
  electionTimeoutMs?: number;

  @ApiPropertyOptional({ type: Number, minimum: 1, maximum: 600000, default: 150 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(600_000)
  heartbeatIntervalMs?: number;

  @ApiPropertyOptional({ type: Number, minimum: 0, maximum: 64, default: 0 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(64)
  powDifficultyBits?: number;

  @ApiPropertyOptional({ type: String, description: 'ISO-8601 time of block 0 (default: now)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  genesisTime?: string;
}

export class FrozenGenesisDto {
  @ApiProperty({ type: String, description: 'SHA-256 of the canonical genesis JSON, hex' })
  hash!: string;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The genesis (libs/chain Genesis)' })
  genesis!: Record<string, unknown>;
}

export class GovernanceItemDto {
  @ApiProperty({ enum: ['add', 'suspend', 'reinstate', 'remove', 'node-add', 'node-promote', 'node-remove'], description: 'Membership changes, or node-set changes (node-*)' })
  change!: string;

  @ApiPropertyOptional({ type: String, description: 'The member concerned (membership changes and node-add)' })
  memberId?: string;

  @ApiPropertyOptional({ type: String, description: 'The node concerned (node-set changes)' })
  nodeId?: string;

  @ApiPropertyOptional({ enum: ['learner', 'observer'], description: 'node-add: the role it joins with' })
  role?: string;

  @ApiProperty({ type: String })
  actor!: string;

  @ApiProperty({ type: String })
  queuedAt!: string;
}

export class GovernanceStatusDto {
  @ApiProperty({ type: [GovernanceItemDto], description: 'Governance changes no validator has accepted yet, oldest first' })
  pending!: GovernanceItemDto[];

  @ApiProperty({ type: String, description: 'Compressed secp256k1 governance public key, hex' })
  governancePublicKey!: string;
}
