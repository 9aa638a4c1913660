import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

const HEX_TX = /^(0x)?([0-9a-fA-F]{2})+$/;
/** Hex characters of the largest transaction a genesis may allow (1 MiB), plus a prefix. */
const MAX_TX_HEX_CHARS = 2 * 1_048_576 + 2;

/** One signed transaction (canonical `SignedTx` protobuf bytes, hex). */
export class SubmitTransactionDto {
  @ApiProperty({ description: 'Signed transaction: canonical protobuf `SignedTx` bytes in hex (see docs/SIGNING.md)', example: '0a4d0a0b6163...' })
  @IsString()
  @MaxLength(MAX_TX_HEX_CHARS)
  @Matches(HEX_TX, { message: 'tx must be hex-encoded bytes' })
  tx!: string;

  @ApiPropertyOptional({ description: 'Wait until the transaction is committed or rejected (bounded by waitTimeoutMs)', default: false })
  @IsOptional()
  @IsBoolean()
  wait?: boolean;

  @ApiPropertyOptional({ description: 'How long to wait, in milliseconds (100..30000)', default: 10000 })
  @IsOptional()
  @IsInt()
  @Min(100)
  @Max(30_000)
  waitTimeoutMs?: number;
}

/** Up to 1,000 signed transactions. */
export class SubmitBatchDto {
  @ApiProperty({ description: 'Signed transactions in hex, processed in order', type: [String], maxItems: 1000 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  @MaxLength(MAX_TX_HEX_CHARS, { each: true })
  @Matches(HEX_TX, { each: true, message: 'each tx must be hex-encoded bytes' })
  txs!: string[];
}
