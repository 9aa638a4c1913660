import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export class AuditQueryDto {
  // Bounded so the database gets an integer it can hold: 2^64 passes @IsInt() as a float.
  @ApiPropertyOptional({ type: Number, minimum: 0, maximum: Number.MAX_SAFE_INTEGER, default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  offset?: number;

  @ApiPropertyOptional({ type: Number, minimum: 1, maximum: 500, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

export class AuditEntryDto {
  @ApiProperty({ type: Number })
  seq!: number;

  @ApiProperty({ type: String })
  at!: string;

  @ApiProperty({ type: String })
  actor!: string;

  @ApiProperty({ type: String })
  action!: string;

  @ApiProperty({ type: String })
  target!: string;

  @ApiProperty({ type: String, description: 'Canonical JSON' })
  details!: string;

  @ApiProperty({ type: String })
  prevHash!: string;

  @ApiProperty({ type: String })
  hash!: string;
}

export class AuditPageDto {
  @ApiProperty({ type: Number })
  total!: number;

  @ApiProperty({ type: [AuditEntryDto] })
  entries!: AuditEntryDto[];
}

export class AuditVerificationDto {
  @ApiProperty({ type: Boolean })
  ok!: boolean;

  @ApiProperty({ type: Number })
  rows!: number;

  @ApiPropertyOptional({ type: String })
  headHash?: string;

  @ApiPropertyOptional({ type: Number, description: 'First sequence number where the chain breaks' })
  brokenAtSeq?: number;

  @ApiPropertyOptional({ enum: ['SEQ_GAP', 'PREV_HASH_MISMATCH', 'HASH_MISMATCH'] })
  problem?: string;
}
