import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import tls from 'node:tls';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createConsortiumCa, createCrl, createKeyAndCsr, issueCertificate, issuePkcs12, type ConsortiumCa } from '#pki';

interface Credential {
  readonly key?: string;
  /** Leaf followed by the issuing CA, as a peer presents it. */
  readonly cert?: string;
  /** Alternatively a PKCS#12 holding key and chain. */
  readonly pfx?: { readonly buf: Buffer; readonly passphrase: string };
  readonly serialHex: string;
}

interface HandshakeOutcome {
  /** What the server read from the client, when it let the connection through. */
  readonly received?: string;
  /** Whether the server's `secureConnection` handler ran at all. */
  readonly serverAccepted: boolean;
  /** The server's view of the client certificate (`socket.authorized`). */
  readonly clientAuthorized?: boolean;
  /** Why the server considers the client unauthorised, e.g. `CERT_REVOKED`. */
  readonly clientAuthorizationError?: string;
  /** Client-side error code, when the client refused the server. */
  readonly clientErrorCode?: string;
  /** Identity URI the server saw in the client's certificate. */
  readonly peerUri?: string;
}

// A real mutual-TLS handshake over 127.0.0.1 with the settings the p2p transport uses:
// trust only the consortium root, require client certificates, check the issuing CA's CRL.
describe('mutual TLS between validators with certificates from the consortium CA', () => {
  let ca: ConsortiumCa;
  let nodeA: Credential;
  let nodeB: Credential;
  let emptyCrl: string[];
  let crlRevokingB: string[];
  let crlRevokingA: string[];
  const servers: tls.Server[] = [];

  async function credential(nodeId: string): Promise<Credential> {
    const { privateKeyPem, csrPem } = await createKeyAndCsr({ commonName: nodeId, organization: 'Acme Bank' });
    const issued = issueCertificate({ issuer: ca.issuing, csrPem, profile: 'validator', subjectId: nodeId, organization: 'Acme Bank' });
    return { key: privateKeyPem, cert: issued.certPem + ca.issuing.certPem, serialHex: issued.serialHex };
  }

  beforeAll(async () => {
    ca = await createConsortiumCa({ name: 'TLS Consortium' });
    [nodeA, nodeB] = await Promise.all([credential('node-a'), credential('node-b')]);
    const thisUpdate = new Date(Date.now() - 60_000);
    const nextUpdate = new Date(Date.now() + 86_400_000);
    const revoke = (serialHex: string) => [{ serialHex, revokedAt: thisUpdate, reason: 'keyCompromise' as const }];
    // Node's `crl` option turns on X509_V_FLAG_CRL_CHECK_ALL: every CA in the path needs a CRL,
    // so the root publishes one too (listing revoked issuing CAs, here none).
    const rootCrl = await createCrl({ issuer: ca.root, revoked: [], crlNumber: 1, thisUpdate, nextUpdate });
    const issuingCrls = await Promise.all([
      createCrl({ issuer: ca.issuing, revoked: [], crlNumber: 1, thisUpdate, nextUpdate }),
      createCrl({ issuer: ca.issuing, revoked: revoke(nodeB.serialHex), crlNumber: 2, thisUpdate, nextUpdate }),
      createCrl({ issuer: ca.issuing, revoked: revoke(nodeA.serialHex), crlNumber: 3, thisUpdate, nextUpdate }),
    ]);
    [emptyCrl, crlRevokingB, crlRevokingA] = issuingCrls.map((issuingCrl) => [issuingCrl, rootCrl]);
  });

  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
  });

  interface Endpoint {
    readonly cred: Credential;
    readonly crl?: string[];
  }

  async function handshake(server: Endpoint & { rejectUnauthorized: boolean }, client: Endpoint): Promise<HandshakeOutcome> {
    let serverAccepted = false;
    let clientAuthorized: boolean | undefined;
    let clientAuthorizationError: string | undefined;
    let peerUri: string | undefined;
    let clientErrorCode: string | undefined;
    let finish: (value: string | undefined) => void = () => undefined;
    const received = new Promise<string | undefined>((resolve) => (finish = resolve));

    const tlsServer = tls.createServer(
      { key: server.cred.key, cert: server.cred.cert, ca: [ca.root.certPem], crl: server.crl, requestCert: true, rejectUnauthorized: server.rejectUnauthorized, minVersion: 'TLSv1.3' },
      (socket) => {
        serverAccepted = true;
        clientAuthorized = socket.authorized;
        clientAuthorizationError = socket.authorizationError === undefined ? undefined : String(socket.authorizationError);
        peerUri = socket.getPeerCertificate().subjectaltname?.split(', ').find((name) => name.startsWith('URI:'));
        socket.once('data', (data) => {
          finish(data.toString());
          socket.end();
        });
      },
    );
    // A refused handshake surfaces here as a reset; the outcome is read from the other fields.
    tlsServer.on('tlsClientError', () => finish(undefined));
    servers.push(tlsServer);
    tlsServer.listen(0, '127.0.0.1');
    await once(tlsServer, 'listening');
    const { port } = tlsServer.address() as AddressInfo;

    const socket = tls.connect({ host: '127.0.0.1', port, servername: 'localhost', key: client.cred.key, cert: client.cred.cert, pfx: client.cred.pfx && [client.cred.pfx], ca: [ca.root.certPem], crl: client.crl, minVersion: 'TLSv1.3' });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      clientErrorCode ??= error.code;
      finish(undefined);
    });
    socket.once('secureConnect', () => socket.write('hello from client'));
    const closed = new Promise((resolve) => socket.once('close', resolve));
    socket.once('close', () => finish(undefined));
    const data = await received;
    socket.destroy();
    await closed;
    return { received: data, serverAccepted, clientAuthorized, clientAuthorizationError, clientErrorCode, peerUri };
  }

  it('completes a handshake both ways with the validator certificates and the current CRLs', async () => {
    const outcome = await handshake({ cred: nodeA, crl: emptyCrl, rejectUnauthorized: true }, { cred: nodeB, crl: emptyCrl });
    expect(outcome).toMatchObject({ received: 'hello from client', serverAccepted: true, clientAuthorized: true, clientErrorCode: undefined });
    expect(outcome.peerUri).toBe('URI:urn:accord:validator:node-b');
  });

  it('refuses a client whose certificate the CRL revokes, and names revocation as the reason', async () => {
    const refused = await handshake({ cred: nodeA, crl: crlRevokingB, rejectUnauthorized: true }, { cred: nodeB });
    expect(refused.received).toBeUndefined();
    expect(refused.serverAccepted).toBe(false);
    // Same handshake with the decision left to the application, to see why TLS refused it.
    const inspected = await handshake({ cred: nodeA, crl: crlRevokingB, rejectUnauthorized: false }, { cred: nodeB });
    expect(inspected).toMatchObject({ clientAuthorized: false, clientAuthorizationError: 'CERT_REVOKED' });
  });

  it('lets a client refuse a server whose certificate the CRL revokes', async () => {
    const outcome = await handshake({ cred: nodeA, crl: emptyCrl, rejectUnauthorized: true }, { cred: nodeB, crl: crlRevokingA });
    expect(outcome.received).toBeUndefined();
    expect(outcome.clientErrorCode).toBe('CERT_REVOKED');
  });

  it('accepts a member client that authenticates with its PKCS#12 bundle', async () => {
    const bundle = await issuePkcs12({ issuer: ca.issuing, chainPems: [ca.issuing.certPem, ca.root.certPem], profile: 'client', subjectId: 'alice', organization: 'Acme Bank', password: 'bundle-pass' });
    const cred = { pfx: { buf: bundle.pkcs12Der, passphrase: 'bundle-pass' }, serialHex: bundle.serialHex };
    const outcome = await handshake({ cred: nodeA, crl: emptyCrl, rejectUnauthorized: true }, { cred });
    expect(outcome).toMatchObject({ received: 'hello from client', clientAuthorized: true, peerUri: 'URI:urn:accord:member:alice' });
  });

  it('refuses a validator certificate from a different CA with the same names', async () => {
    const impostorCa = await createConsortiumCa({ name: 'TLS Consortium' });
    const { privateKeyPem, csrPem } = await createKeyAndCsr({ commonName: 'node-b', organization: 'Acme Bank' });
    const impostor = issueCertificate({ issuer: impostorCa.issuing, csrPem, profile: 'validator', subjectId: 'node-b', organization: 'Acme Bank' });
    const cred = { key: privateKeyPem, cert: impostor.certPem + impostorCa.issuing.certPem, serialHex: impostor.serialHex };
    const outcome = await handshake({ cred: nodeA, crl: emptyCrl, rejectUnauthorized: false }, { cred });
    expect(outcome.clientAuthorized).toBe(false);
    expect(outcome.clientAuthorizationError).not.toBe('CERT_REVOKED');
  });
});
