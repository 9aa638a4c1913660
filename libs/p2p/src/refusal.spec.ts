import { describe, expect, it } from 'vitest';
import { reasonForTlsCode } from './refusal.js';
import { decodeHello, encodeHello } from './control.js';
import { normalizeSerial } from './certificate-facts.js';

describe('reasonForTlsCode', () => {
  it.each([
    ['CERT_HAS_EXPIRED', 'expired'],
    ['CERT_NOT_YET_VALID', 'not_yet_valid'],
    ['CERT_REVOKED', 'revoked'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'untrusted_chain'],
    ['SELF_SIGNED_CERT_IN_CHAIN', 'untrusted_chain'],
    ['UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'untrusted_chain'],
    ['INVALID_PURPOSE', 'not_a_validator'],
    ['UNABLE_TO_GET_CRL', 'revocation_unavailable'],
    ['ERR_SSL_UNSUPPORTED_PROTOCOL', 'tls_version'],
    ['ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION', 'tls_version'],
    ['ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE', 'no_client_cert'],
    ['ERR_TLS_HANDSHAKE_TIMEOUT', 'handshake_timeout'],
    ['ECONNRESET', 'tls_error'],
    [undefined, 'tls_error'],
  ])('maps %s to %s', (code, reason) => {
    expect(reasonForTlsCode(code)).toBe(reason);
  });
});

describe('HELLO payload', () => {
  it('round-trips and rejects malformed payloads with FRAME_TYPE', () => {
    expect(decodeHello(encodeHello('node-a'))).toEqual({ nodeId: 'node-a', protocolVersion: 1 });
    for (const bad of ['not json', '{"nodeId":1,"protocolVersion":1}', '{"nodeId":"x"}', 'null']) {
      expect(() => decodeHello(Buffer.from(bad))).toThrow(expect.objectContaining({ code: 'FRAME_TYPE' }));
    }
  });
});

describe('normalizeSerial', () => {
  it('lowercases and strips leading zeros like the admin list', () => {
    expect(normalizeSerial('00AB01')).toBe('ab01');
    expect(normalizeSerial('0000')).toBe('0');
  });
});
