import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min, MinLength } from 'class-validator';
import { REVOCATION_REASONS, type RevocationReason } from '../../certificates/revocation-reasons.js';

const MAX_CSR_CHARS = 16_384;

export class CertificateDto {
  @ApiProperty({ type: String, description: 'Lowercase hex serial' })
  serial!: string;

  @ApiProperty({ type: String })
  memberId!: string;

  @ApiProperty({ enum: ['validator', 'client', 'org-admin'] })
  profile!: string;

  @ApiProperty({ enum: ['active', 'revoked'] })
  status!: string;

  @ApiProperty({ type: String })
  notBefore!: string;

  @ApiProperty({ type: String })
  notAfter!: string;

  @ApiProperty({ type: String })
  spkiSha256!: string;

  @ApiProperty({ type: String })
  fingerprintSha256!: string;

  @ApiProperty({ nullable: true, type: String })
  revocationReason!: string | null;

  @ApiProperty({ nullable: true, type: String })
  revokedAt!: string | null;

  @ApiProperty({ type: String })
  createdAt!: string;

  @ApiProperty({ type: Boolean, description: 'Active and expiring within 30 days' })
  expiresSoon!: boolean;

  @ApiProperty({ type: String, description: 'Certificate PEM' })
  pem!: string;
}

export class CertificateQueryDto {
  @ApiPropertyOptional({ type: String, format: 'uuid' })
  @IsOptional()
  @IsUUID()
  memberId?: string;

  @ApiPropertyOptional({ enum: ['active', 'revoked'] })
  @IsOptional()
  @IsIn(['active', 'revoked'])
  status?: string;
}

export class IssueCertificateDto {
  @ApiProperty({ type: String, format: 'uuid' })
  @IsUUID()
  memberId!: string;

  @ApiProperty({ type: String, description: 'PKCS#10 CSR, PEM' })
  @IsString()
  @MaxLength(MAX_CSR_CHARS)
  csrPem!: string;

  @ApiPropertyOptional({ type: Number, minimum: 1, maximum: 825, default: 365 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(825)
  validityDays?: number;
}

export class IssuePkcs12Dto {
  @ApiProperty({ type: String, format: 'uuid' })
  @IsUUID()
  memberId!: string;

  @ApiProperty({ type: String, description: 'Protects the PKCS#12; never stored', minLength: 8 })
  @IsString()
  @MinLength(8)
  @MaxLength(200)
  password!: string;

  @ApiPropertyOptional({ type: Number, minimum: 1, maximum: 825, default: 365 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(825)
  validityDays?: number;
}

export class Pkcs12ResponseDto {
  @ApiProperty({ type: CertificateDto })
  certificate!: CertificateDto;

  @ApiProperty({ type: String, description: 'Password-protected PKCS#12 (key, certificate, chain), base64; returned once, never stored' })
  pkcs12Base64!: string;
}

export class RenewCertificateDto {
  @ApiPropertyOptional({ type: String, description: 'CSR for a new key; omit to keep the current key' })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_CSR_CHARS)
  csrPem?: string;

  @ApiPropertyOptional({ type: Number, minimum: 1, maximum: 825, default: 365 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(825)
  validityDays?: number;
}

export class RevokeCertificateDto {
  @ApiProperty({ enum: REVOCATION_REASONS })
  @IsIn(REVOCATION_REASONS)
  reason!: RevocationReason;
}

export class RevocationListDto {
  @ApiProperty({ type: Number, description: 'Increases on every change' })
  version!: number;

  @ApiProperty({ type: String })
  updatedAt!: string;

  @ApiProperty({ type: [String], description: 'Lowercase hex serials' })
  serials!: string[];
}

export class CaDto {
  @ApiProperty({ type: String })
  rootCertPem!: string;

  @ApiProperty({ type: String })
  issuingCertPem!: string;

  @ApiProperty({ type: String, description: 'Issuing then root, concatenated PEM' })
  chainPem!: string;
}

