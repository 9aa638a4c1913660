import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { LOG_LEVELS } from '#common';

/** A log level to switch to. */
export class LogLevelDto {
  @ApiProperty({ enum: LOG_LEVELS, type: String })
  @IsIn(LOG_LEVELS)
  level!: string;
}

/** The level now in force and the one before. */
export class LogLevelChangeDto {
  @ApiProperty({ type: String }) level!: string;
  @ApiProperty({ type: String }) previous!: string;
}
