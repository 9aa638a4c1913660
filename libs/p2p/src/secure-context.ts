import { X509Certificate } from 'node:crypto';
import type { SecureContextOptions } from 'node:tls';
import { splitPem } from './der.js';
import { P2pError } from './errors.js';

/** This node's TLS identity and the consortium trust anchors. PEM throughout. */
export interface TlsCredentials {
  /** The node's certificate followed by the issuing CA certificate. */
  readonly cert: string;
  /** The node's private key. Never logged. */
  readonly key: string;
  /** The consortium CA certificates: root and issuing CA. */
  readonly ca: string;
}

/** The trusted CA certificates in `credentials.ca`. Throws P2P_CONFIG when there is none. */
export function trustedCaCertificates(credentials: TlsCredentials): X509Certificate[] {
  const blocks = splitPem(credentials.ca, 'CERTIFICATE');
  if (blocks.length === 0) throw new P2pError('P2P_CONFIG', 'credentials.ca holds no CERTIFICATE block');
  return blocks.map((pem) => new X509Certificate(pem));
}

/**
 * Options for `tls.createSecureContext` / `server.setSecureContext`: TLS 1.3 only, the node's
 * certificate, the consortium CAs as the only trust anchors, and the CRLs when there are any.
 */
export function secureContextOptions(credentials: TlsCredentials, crls: readonly string[] | undefined): SecureContextOptions {
  return {
    cert: credentials.cert,
    key: credentials.key,
    ca: splitPem(credentials.ca, 'CERTIFICATE'),
    ...(crls && crls.length > 0 ? { crl: [...crls] } : {}),
    minVersion: 'TLSv1.3',
    maxVersion: 'TLSv1.3',
  };
}
