import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';
import { MEMBER_ROLES, MEMBER_STATUSES, type MemberRole, type MemberStatus } from '../../db/entities/index.js';

/** Node ids end up in certificate CNs and URNs: a conservative alphabet. */
export const NODE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
export const ACCOUNT_KEY_PATTERN = /^0[23][0-9a-fA-F]{64}$/;
export const P2P_ADDRESS_PATTERN = /^[A-Za-z0-9.[\]:-]{1,200}:[0-9]{1,5}$/;
export const REST_URL_PATTERN = /^https?:\/\/[^\s/$.?#][^\s]{0,240}$/;

export class CreateOrganisationDto {
  @ApiProperty({ type: String, example: 'Acme Bank' })
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  @Matches(/^[\p{L}\p{N} .,&'()-]+$/u, { message: 'name may contain letters, digits, spaces and .,&\'()-' })
  name!: string;
}

export class OrganisationDto {
  @ApiProperty({ type: String })
  id!: string;

  @ApiProperty({ type: String })
  name!: string;

  @ApiProperty({ type: String })
  createdAt!: string;

  @ApiProperty({ type: Number })
  memberCount!: number;
}

export class CreateMemberDto {
  @ApiProperty({ type: String, format: 'uuid' })
  @IsUUID()
  organisationId!: string;

  @ApiProperty({ type: String, example: 'Acme settlement node' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @ApiProperty({ enum: MEMBER_ROLES })
  @IsIn(MEMBER_ROLES)
  role!: MemberRole;

  @ApiProperty({ type: String, description: 'Compressed secp256k1 public key, hex', example: '02' + 'ab'.repeat(32) })
  @IsString()
  @Matches(ACCOUNT_KEY_PATTERN)
  accountPublicKey!: string;

  @ApiPropertyOptional({ type: String, description: 'Validators only' })
  @IsOptional()
  @IsString()
  @Matches(NODE_ID_PATTERN)
  nodeId?: string;

  @ApiPropertyOptional({ type: String, example: '127.0.0.1:7101', description: 'Validators only: host:port of the p2p listener' })
  @IsOptional()
  @IsString()
  @Matches(P2P_ADDRESS_PATTERN)
  p2pAddress?: string;

  @ApiPropertyOptional({ type: String, example: 'http://127.0.0.1:8101', description: 'Validators only' })
  @IsOptional()
  @IsString()
  @Matches(REST_URL_PATTERN)
  restUrl?: string;

  @ApiPropertyOptional({ type: String, example: '1000000', description: 'Initial balance in the genesis (decimal string)' })
  @IsOptional()
  @IsString()
  @Matches(/^(0|[1-9][0-9]{0,37})$/)
  initialBalance?: string;
}

export class MemberDto {
  @ApiProperty({ type: String })
  id!: string;

  @ApiProperty({ type: String })
  organisationId!: string;

  @ApiProperty({ type: String })
  name!: string;

  @ApiProperty({ enum: MEMBER_ROLES })
  role!: string;

  @ApiProperty({ enum: MEMBER_STATUSES })
  status!: string;

  @ApiProperty({ type: String })
  accountPublicKey!: string;

  @ApiProperty({ nullable: true, type: String })
  nodeId!: string | null;

  @ApiProperty({ nullable: true, type: String })
  p2pAddress!: string | null;

  @ApiProperty({ nullable: true, type: String })
  restUrl!: string | null;

  @ApiProperty({ type: String })
  initialBalance!: string;

  @ApiProperty({ type: String })
  createdAt!: string;

  @ApiProperty({ type: String })
  updatedAt!: string;
}

export class MemberQueryDto {
  @ApiPropertyOptional({ type: String, format: 'uuid' })
  @IsOptional()
  @IsUUID()
  organisationId?: string;

  @ApiPropertyOptional({ enum: MEMBER_ROLES })
  @IsOptional()
  @IsIn(MEMBER_ROLES)
  role?: MemberRole;

  @ApiPropertyOptional({ enum: MEMBER_STATUSES })
  @IsOptional()
  @IsIn(MEMBER_STATUSES)
  status?: MemberStatus;
}
