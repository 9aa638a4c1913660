import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export class AuditQueryDto {
  @ApiPropertyOptional({ type: Number, minimum: 0, default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
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
