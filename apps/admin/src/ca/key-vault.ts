import type { DataSource } from 'typeorm';
import { AccordError } from '#common';
import { createConsortiumCa, decryptPrivateKey, encryptPrivateKey, type IssuerCredentials } from '#pki';
import { iso, type Clock } from '../clock.js';
import { KeyMaterialEntity, type KeyName } from '../db/entities/index.js';
import { generateGovernanceKey, readGovernanceKey, type GovernanceKeyPair } from './governance-key.js';

/** Public facts about the initialised CA and governance key. */
export interface KeyMaterialSummary {
  rootCertPem: string;
  issuingCertPem: string;
  governancePublicKeyHex: string;
}

/**
 * Creates the consortium root + issuing CA and the governance key, all private keys encrypted
 * with the passphrase before they touch the register. Refuses to run twice.
 */
export async function initialiseKeyMaterial(
  dataSource: DataSource,
  options: { consortiumName: string; passphrase: string; clock: Clock; rootKeyBits?: number },
): Promise<KeyMaterialSummary> {
  const repo = dataSource.getRepository(KeyMaterialEntity);
  if ((await repo.count()) > 0) throw new AccordError('ALREADY_INITIALISED', 'the CA and governance key already exist');
  const now = options.clock();
  const ca = await createConsortiumCa({ name: options.consortiumName, rootKeyBits: options.rootKeyBits, now });
  const governance = generateGovernanceKey();
  const createdAt = iso(now);
  const rows: KeyMaterialEntity[] = [
    { name: 'root-ca', certPem: ca.root.certPem, publicKey: ca.root.spkiSha256, encryptedKeyPem: encryptPrivateKey(ca.root.privateKeyPem, options.passphrase), createdAt },
    { name: 'issuing-ca', certPem: ca.issuing.certPem, publicKey: ca.issuing.spkiSha256, encryptedKeyPem: encryptPrivateKey(ca.issuing.privateKeyPem, options.passphrase), createdAt },
    { name: 'governance', certPem: null, publicKey: governance.publicKeyHex, encryptedKeyPem: encryptPrivateKey(governance.privateKeyPem, options.passphrase), createdAt },
  ];
  await dataSource.transaction(async (manager) => {
    await manager.getRepository(KeyMaterialEntity).insert(rows);
  });
  return { rootCertPem: ca.root.certPem, issuingCertPem: ca.issuing.certPem, governancePublicKeyHex: governance.publicKeyHex };
}

/**
 * The unlocked keys of a running admin app. The root key stays encrypted (the running app
 * never signs with it); the issuing and governance keys are decrypted once at start.
 */
export class KeyVault {
  private constructor(
    readonly rootCertPem: string,
    private readonly issuing: IssuerCredentials,
    private readonly governance: GovernanceKeyPair,
  ) {}

  /** Loads and decrypts; a wrong passphrase fails here with `KEY_DECRYPT`, not at first use. */
  static async unlock(dataSource: DataSource, passphrase: string): Promise<KeyVault> {
    const repo = dataSource.getRepository(KeyMaterialEntity);
    const load = async (name: KeyName): Promise<KeyMaterialEntity> => {
      const row = await repo.findOneBy({ name });
      if (!row) throw new AccordError('NOT_INITIALISED', `no ${name} key: run "accord admin init" first`);
      return row;
    };
    const root = await load('root-ca');
    const issuing = await load('issuing-ca');
    const governance = await load('governance');
    return new KeyVault(
      root.certPem!,
      { certPem: issuing.certPem!, privateKeyPem: decryptPrivateKey(issuing.encryptedKeyPem, passphrase) },
      readGovernanceKey(decryptPrivateKey(governance.encryptedKeyPem, passphrase)),
    );
  }

  /** The issuing CA's certificate and key, for signing certificates and CRLs. */
  issuer(): IssuerCredentials {
    return this.issuing;
  }

  /** Issuing CA certificate PEM. */
  get issuingCertPem(): string {
    return this.issuing.certPem;
  }

  /** The chain a leaf verifies with: issuing first, then root. */
  chainPems(): [string, string] {
    return [this.issuing.certPem, this.rootCertPem];
  }

  /** Compressed secp256k1 governance public key, hex. */
  get governancePublicKeyHex(): string {
    return this.governance.publicKeyHex;
  }

  /** The governance private key (32 bytes) for signing governance transactions. */
  governancePrivateKey(): Uint8Array {
    return this.governance.privateKey;
  }
}
