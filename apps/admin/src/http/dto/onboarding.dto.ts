import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { MEMBER_ROLES, type MemberRole } from '../../db/entities/index.js';
import { ACCOUNT_KEY_PATTERN, NODE_ID_PATTERN, P2P_ADDRESS_PATTERN, REST_URL_PATTERN } from './register.dto.js';

const MAX_CSR_CHARS = 16_384;

export class CreateInvitationDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  organisationId!: string;

  @ApiProperty({ enum: MEMBER_ROLES })
  @IsIn(MEMBER_ROLES)
  role!: MemberRole;

  @ApiPropertyOptional({ minimum: 1, maximum: 720, default: 72 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(720)
  expiresInHours?: number;

  @ApiPropertyOptional({ default: false, description: 'Approve the enrollment as soon as it verifies' })
  @IsOptional()
  @IsBoolean()
  autoApprove?: boolean;

  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  note?: string;
}

export class InvitationDto {
  @ApiProperty()
  id!: string;

  @ApiProperty()
  organisationId!: string;

  @ApiProperty({ enum: MEMBER_ROLES })
  role!: string;

  @ApiProperty()
  expiresAt!: string;

  @ApiProperty({ nullable: true, type: String })
  usedAt!: string | null;

  @ApiProperty()
  autoApprove!: boolean;

  @ApiProperty({ nullable: true, type: String })
  note!: string | null;

  @ApiProperty()
  createdBy!: string;

  @ApiProperty()
  createdAt!: string;

  @ApiProperty({ enum: ['open', 'used', 'expired'] })
  state!: string;
}

export class CreatedInvitationDto {
  @ApiProperty({ type: InvitationDto })
  invitation!: InvitationDto;

  @ApiProperty({ description: 'One-time enrollment token; shown once, stored only as a hash' })
  token!: string;
}

export class EnrollDto {
  @ApiProperty({ description: 'The one-time invitation token' })
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{16,128}$/)
  token!: string;

  @ApiProperty({ example: 'Acme validator 1' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @ApiProperty({ description: 'PKCS#10 CSR, PEM' })
  @IsString()
  @MaxLength(MAX_CSR_CHARS)
  csrPem!: string;

  @ApiProperty({ description: 'Compressed secp256k1 account public key, hex' })
  @IsString()
  @Matches(ACCOUNT_KEY_PATTERN)
  accountPublicKey!: string;

  @ApiProperty({ description: 'Compact 64-byte secp256k1 signature (hex) over enrollmentProofDigest(token, csrPem, accountPublicKey)' })
  @IsString()
  @Matches(/^[0-9a-fA-F]{128}$/)
  proofSignature!: string;

  @ApiPropertyOptional({ description: 'Validators only' })
  @IsOptional()
  @IsString()
  @Matches(NODE_ID_PATTERN)
  nodeId?: string;

  @ApiPropertyOptional({ example: '127.0.0.1:7101' })
  @IsOptional()
  @IsString()
  @Matches(P2P_ADDRESS_PATTERN)
  p2pAddress?: string;

  @ApiPropertyOptional({ example: 'http://127.0.0.1:8101' })
  @IsOptional()
  @IsString()
  @Matches(REST_URL_PATTERN)
  restUrl?: string;
}

export class EnrollmentResultDto {
  @ApiProperty()
  id!: string;

  @ApiProperty({ enum: ['pending', 'approved', 'rejected'] })
  status!: string;

  @ApiProperty({ nullable: true, type: String })
  memberId!: string | null;

  @ApiProperty({ nullable: true, type: String })
  certificatePem!: string | null;

  @ApiProperty({ type: [String], description: 'Issuing CA then root CA, PEM' })
  chainPems!: string[];

  @ApiProperty({ nullable: true, type: String })
  rejectReason!: string | null;
}

export class EnrollmentDto {
  @ApiProperty()
  id!: string;

  @ApiProperty()
  invitationId!: string;

  @ApiProperty()
  organisationId!: string;

  @ApiProperty({ enum: MEMBER_ROLES })
  role!: string;

  @ApiProperty()
  memberName!: string;

  @ApiProperty()
  accountPublicKey!: string;

  @ApiProperty({ nullable: true, type: String })
  nodeId!: string | null;

  @ApiProperty({ nullable: true, type: String })
  p2pAddress!: string | null;

  @ApiProperty({ nullable: true, type: String })
  restUrl!: string | null;

  @ApiProperty({ description: 'SHA-256 of the CSR public key (SPKI)' })
  csrSpkiSha256!: string;

  @ApiProperty({ enum: ['pending', 'approved', 'rejected'] })
  status!: string;

  @ApiProperty({ nullable: true, type: String })
  memberId!: string | null;

  @ApiProperty({ nullable: true, type: String })
  certificateSerial!: string | null;

  @ApiProperty({ nullable: true, type: String })
  decidedBy!: string | null;

  @ApiProperty({ nullable: true, type: String })
  decidedAt!: string | null;

  @ApiProperty({ nullable: true, type: String })
  rejectReason!: string | null;

  @ApiProperty()
  createdAt!: string;
}

export class EnrollmentQueryDto {
  @ApiPropertyOptional({ enum: ['pending', 'approved', 'rejected'] })
  @IsOptional()
  @IsIn(['pending', 'approved', 'rejected'])
  status?: 'pending' | 'approved' | 'rejected';
}

export class RejectEnrollmentDto {
  @ApiProperty({ example: 'unknown organisation contact' })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  reason!: string;
}
