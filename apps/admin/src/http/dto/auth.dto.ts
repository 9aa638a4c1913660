import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { USER_ROLES, type UserRole } from '../../db/entities/index.js';

export class LoginDto {
  @ApiProperty({ type: String, example: 'admin' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  username!: string;

  @ApiProperty({ type: String, example: 'correct horse battery staple' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  password!: string;
}

export class LoginResponseDto {
  @ApiProperty({ type: String, description: 'Bearer token for the Authorization header' })
  token!: string;

  @ApiProperty({ type: String })
  expiresAt!: string;

  @ApiProperty({ enum: USER_ROLES })
  role!: UserRole;

  @ApiProperty({ type: Boolean, description: 'True until the one-time password is changed' })
  mustChangePassword!: boolean;
}

export class ChangePasswordDto {
  @ApiProperty({ type: String })
  @IsString()
  @MaxLength(200)
  currentPassword!: string;

  @ApiProperty({ type: String, minLength: 12 })
  @IsString()
  @MinLength(12)
  @MaxLength(200)
  newPassword!: string;
}

export class MeDto {
  @ApiProperty({ type: String })
  userId!: string;

  @ApiProperty({ type: String })
  username!: string;

  @ApiProperty({ enum: USER_ROLES })
  role!: UserRole;

  @ApiProperty({ type: Boolean })
  mustChangePassword!: boolean;
}

export class CreateUserDto {
  @ApiProperty({ type: String, example: 'auditor1', pattern: '^[a-z0-9][a-z0-9._-]{1,63}$' })
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9._-]{1,63}$/)
  username!: string;

  @ApiProperty({ enum: USER_ROLES })
  @IsIn(USER_ROLES)
  role!: UserRole;

  @ApiPropertyOptional({ type: String, description: 'Omit to get a one-time password that must be changed at first login', minLength: 12 })
  @IsOptional()
  @IsString()
  @MinLength(12)
  @MaxLength(200)
  password?: string;
}

export class UserDto {
  @ApiProperty({ type: String })
  id!: string;

  @ApiProperty({ type: String })
  username!: string;

  @ApiProperty({ enum: USER_ROLES })
  role!: UserRole;

  @ApiProperty({ type: Boolean })
  mustChangePassword!: boolean;

  @ApiProperty({ type: Boolean })
  disabled!: boolean;

  @ApiProperty({ type: String })
  createdAt!: string;
}

export class PasswordResetDto {
  @ApiProperty({ type: UserDto })
  user!: UserDto;

  @ApiProperty({ type: String, description: 'Shown once; must be changed at first login' })
  oneTimePassword!: string;
}

export class CreatedUserDto {
  @ApiProperty({ type: UserDto })
  user!: UserDto;

  @ApiPropertyOptional({ type: String, description: 'Shown once; must be changed at first login' })
  oneTimePassword?: string;
}
