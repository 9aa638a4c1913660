import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { MEMBER_ROLES, type MemberRole } from '../../db/entities/index.js';
import { ACCOUNT_KEY_PATTERN, NODE_ID_PATTERN, P2P_ADDRESS_PATTERN, REST_URL_PATTERN } from './register.dto.js';

const MAX_CSR_CHARS = 16_384;

export class CreateInvitationDto {
  @ApiProperty({ type: String, format: 'uuid' })
  @IsUUID()
  organisationId!: string;

  @ApiProperty({ enum: MEMBER_ROLES })
  @IsIn(MEMBER_ROLES)
  role!: MemberRole;

  @ApiPropertyOptional({ type: Number, minimum: 1, maximum: 720, default: 72 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(720)
  expiresInHours?: number;

  @ApiPropertyOptional({ type: Boolean, default: false, description: 'Approve the enrollment as soon as it verifies' })
  @IsOptional()
  @IsBoolean()
  autoApprove?: boolean;

  @ApiPropertyOptional({ type: String, maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  note?: string;
}

export class InvitationDto {
  @ApiProperty({ type: String })
  id!: string;

  @ApiProperty({ type: String })
  organisationId!: string;

  @ApiProperty({ enum: MEMBER_ROLES })
  role!: string;

  @ApiProperty({ type: String })
  expiresAt!: string;

  @ApiProperty({ nullable: true, type: String })
  usedAt!: string | null;

  @ApiProperty({ type: Boolean })
  autoApprove!: boolean;

  @ApiProperty({ nullable: true, type: String })
  note!: string | null;

  @ApiProperty({ type: String })
  createdBy!: string;

  @ApiProperty({ type: String })
  createdAt!: string;

  @ApiProperty({ enum: ['open', 'used', 'expired'] })
  state!: string;
}

export class CreatedInvitationDto {
  @ApiProperty({ type: InvitationDto })
  invitation!: InvitationDto;

  @ApiProperty({ type: String, description: 'One-time enrollment token; shown once, stored only as a hash' })
  token!: string;
}

export class EnrollDto {
  @ApiProperty({ type: String, description: 'The one-time invitation token' })
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{16,128}$/)
  token!: string;

  @ApiProperty({ type: String, example: 'Acme validator 1' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @ApiProperty({ type: String, description: 'PKCS#10 CSR, PEM' })
  @IsString()
  @MaxLength(MAX_CSR_CHARS)
  csrPem!: string;

  @ApiProperty({ type: String, description: 'Compressed secp256k1 account public key, hex' })
  @IsString()
  @Matches(ACCOUNT_KEY_PATTERN)
  accountPublicKey!: string;

  @ApiProperty({ type: String, description: 'Compact 64-byte secp256k1 signature (hex) over enrollmentProofDigest(token, csrPem, accountPublicKey)' })
  @IsString()
  @Matches(/^[0-9a-fA-F]{128}$/)
  proofSignature!: string;

  @ApiPropertyOptional({ type: String, description: 'Validators only' })
  @IsOptional()
  @IsString()
  @Matches(NODE_ID_PATTERN)
  nodeId?: string;

  @ApiPropertyOptional({ type: String, example: '127.0.0.1:7101' })
  @IsOptional()
  @IsString()
  @Matches(P2P_ADDRESS_PATTERN)
  p2pAddress?: string;

  @ApiPropertyOptional({ type: String, example: 'http://127.0.0.1:8101' })
  @IsOptional()
  @IsString()
  @Matches(REST_URL_PATTERN)
  restUrl?: string;
}

export class EnrollmentResultDto {
  @ApiProperty({ type: String })
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
  @ApiProperty({ type: String })
  id!: string;

  @ApiProperty({ type: String })
  invitationId!: string;

  @ApiProperty({ type: String })
  organisationId!: string;

  @ApiProperty({ enum: MEMBER_ROLES })
  role!: string;

  @ApiProperty({ type: String })
  memberName!: string;

  @ApiProperty({ type: String })
  accountPublicKey!: string;

  @ApiProperty({ nullable: true, type: String })
  nodeId!: string | null;

  @ApiProperty({ nullable: true, type: String })
  p2pAddress!: string | null;

  @ApiProperty({ nullable: true, type: String })
  restUrl!: string | null;

  @ApiProperty({ type: String, description: 'SHA-256 of the CSR public key (SPKI)' })
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

  @ApiProperty({ type: String })
  createdAt!: string;
}

export class EnrollmentQueryDto {
  @ApiPropertyOptional({ enum: ['pending', 'approved', 'rejected'] })
  @IsOptional()
  @IsIn(['pending', 'approved', 'rejected'])
  status?: 'pending' | 'approved' | 'rejected';
}

export class RejectEnrollmentDto {
  @ApiProperty({ type: String, example: 'unknown organisation contact' })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  reason!: string;
}
