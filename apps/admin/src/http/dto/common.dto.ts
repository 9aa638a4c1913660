import { ApiProperty } from '@nestjs/swagger';

/** The body of every error response. */
export class ErrorDto {
  @ApiProperty({ type: String, example: 'VALIDATION_FAILED', description: 'Stable machine-readable code' })
  code!: string;

  @ApiProperty({ type: String, example: 'name: name must be a string' })
  message!: string;
}

/** Liveness answer. */
export class HealthDto {
  @ApiProperty({ type: String, example: 'ok' })
  status!: string;

  @ApiProperty({ type: String, example: '2026-01-01T00:00:00.000Z' })
  time!: string;
}
