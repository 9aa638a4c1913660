import { ApiProperty } from '@nestjs/swagger';

/** The body of every error response. */
export class ErrorDto {
  @ApiProperty({ example: 'VALIDATION_FAILED', description: 'Stable machine-readable code' })
  code!: string;

  @ApiProperty({ example: 'name: name must be a string' })
  message!: string;
}

/** Liveness answer. */
export class HealthDto {
  @ApiProperty({ example: 'ok' })
  status!: string;

  @ApiProperty({ example: '2026-01-01T00:00:00.000Z' })
  time!: string;
}
