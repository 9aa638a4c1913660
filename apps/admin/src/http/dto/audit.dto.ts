import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export class AuditQueryDto {
  @ApiPropertyOptional({ minimum: 0, default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

export class AuditEntryDto {
  @ApiProperty()
  seq!: number;

  @ApiProperty()
  at!: string;

  @ApiProperty()
  actor!: string;

  @ApiProperty()
  action!: string;

  @ApiProperty()
  target!: string;

  @ApiProperty({ description: 'Canonical JSON' })
  details!: string;

  @ApiProperty()
  prevHash!: string;

  @ApiProperty()
  hash!: string;
}

export class AuditPageDto {
  @ApiProperty()
  total!: number;

  @ApiProperty({ type: [AuditEntryDto] })
  entries!: AuditEntryDto[];
}

export class AuditVerificationDto {
  @ApiProperty()
  ok!: boolean;

  @ApiProperty()
  rows!: number;

  @ApiPropertyOptional()
  headHash?: string;

  @ApiPropertyOptional({ description: 'First sequence number where the chain breaks' })
  brokenAtSeq?: number;

  @ApiPropertyOptional({ enum: ['SEQ_GAP', 'PREV_HASH_MISMATCH', 'HASH_MISMATCH'] })
  problem?: string;
}
