/**
 * Why a connection was refused during the handshake (TLS or HELLO). Used as the `reason` label of
 * `accord_p2p_handshake_failures_total` and in logs.
 */
export type RefusalReason =
  | 'no_client_cert'
  | 'untrusted_chain'
  | 'expired'
  | 'not_yet_valid'
  | 'revoked'
  | 'not_a_validator'
  | 'wrong_node_id'
  | 'tls_version'
  | 'revocation_unavailable'
  | 'protocol_error'
  | 'handshake_timeout'
  | 'tls_error';

/** OpenSSL verification codes (as Node reports them) that mean a CRL, not the certificate, is at fault. */
const CRL_PROBLEMS = new Set([
  'UNABLE_TO_GET_CRL',
  'UNABLE_TO_GET_CRL_ISSUER',
  'CRL_HAS_EXPIRED',
  'CRL_NOT_YET_VALID',
  'CRL_SIGNATURE_FAILURE',
  'UNABLE_TO_DECRYPT_CRL_SIGNATURE',
  'ERROR_IN_CRL_LAST_UPDATE_FIELD',
  'ERROR_IN_CRL_NEXT_UPDATE_FIELD',
]);

const UNTRUSTED = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_CHAIN_TOO_LONG',
  'INVALID_CA',
  'PATH_LENGTH_EXCEEDED',
]);

/** True when a verification code is about a missing or unusable CRL. */
export function isCrlProblem(code: string): boolean {
  return CRL_PROBLEMS.has(code);
}

/**
 * Maps a certificate verification code (`socket.authorizationError`) or a TLS error code
 * (`ERR_SSL_*`) to a refusal reason.
 */
export function reasonForTlsCode(code: string | undefined | null): RefusalReason {
  if (!code) return 'tls_error';
  switch (code) {
    case 'CERT_HAS_EXPIRED':
      return 'expired';
    case 'CERT_NOT_YET_VALID':
      return 'not_yet_valid';
    case 'CERT_REVOKED':
      return 'revoked';
    // Only validator certificates carry both serverAuth and clientAuth.
    case 'INVALID_PURPOSE':
      return 'not_a_validator';
    case 'ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE':
      return 'no_client_cert';
    case 'ETIMEDOUT':
    case 'ERR_TLS_HANDSHAKE_TIMEOUT':
      return 'handshake_timeout';
  }
  if (UNTRUSTED.has(code)) return 'untrusted_chain';
  if (CRL_PROBLEMS.has(code)) return 'revocation_unavailable';
  if (/PROTOCOL_VERSION|UNSUPPORTED_PROTOCOL|NO_PROTOCOLS_AVAILABLE|WRONG_VERSION_NUMBER|VERSION_TOO_LOW/.test(code)) {
    return 'tls_version';
  }
  return 'tls_error';
}
