import { createPrivateKey } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { decryptPrivateKey, encryptPrivateKey, generateRsaKeyPair, spkiSha256, type RsaKeyPairPem } from '#pki';

describe('encryptPrivateKey / decryptPrivateKey', () => {
  let keys: RsaKeyPairPem;
  beforeAll(async () => {
    keys = await generateRsaKeyPair(2048);
  });

  it('writes PKCS#8 encrypted PEM that holds no plaintext key material', () => {
    const encrypted = encryptPrivateKey(keys.privateKeyPem, 'correct horse');
    expect(encrypted).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----\n/);
    const plainBody = keys.privateKeyPem.split('\n')[1];
    expect(encrypted).not.toContain(plainBody);
  });

  it('round-trips to the same key with the right passphrase', () => {
    const decrypted = decryptPrivateKey(encryptPrivateKey(keys.privateKeyPem, 'correct horse'), 'correct horse');
    expect(decrypted).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(spkiSha256(decrypted)).toBe(spkiSha256(keys.publicKeyPem));
    expect(createPrivateKey(decrypted).asymmetricKeyDetails?.modulusLength).toBe(2048);
  });

  it('fails with KEY_DECRYPT for a wrong passphrase or a corrupted blob', () => {
    const encrypted = encryptPrivateKey(keys.privateKeyPem, 'correct horse');
    expect(() => decryptPrivateKey(encrypted, 'battery staple')).toThrow(expect.objectContaining({ code: 'KEY_DECRYPT' }));
    const corrupted = encrypted.replace(/\n(.)(.)/, (_m, a: string, b: string) => `\n${b}${a}`);
    expect(() => decryptPrivateKey(corrupted, 'correct horse')).toThrow(expect.objectContaining({ code: 'KEY_DECRYPT' }));
  });

  it('rejects an empty passphrase and unreadable keys', () => {
    expect(() => encryptPrivateKey(keys.privateKeyPem, '')).toThrow(expect.objectContaining({ code: 'PARAM_INVALID' }));
    expect(() => encryptPrivateKey('nope', 'pw')).toThrow(expect.objectContaining({ code: 'KEY_INVALID' }));
  });
});
