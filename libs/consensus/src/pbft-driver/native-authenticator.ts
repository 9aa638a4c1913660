import { fromHex, sha256, signDigest, verifyDigest, type GenesisValidator } from '#chain';
import type { PbftAuthenticator, ValidatorId } from '../pbft/types.js';

/** The consensus public key of a node, if it has one. */
export type ConsensusKeyLookup = (nodeId: ValidatorId) => Uint8Array | undefined;

/**
 * `Secp256k1Authenticator`'s scheme (compact low-S ECDSA over SHA-256 of the signing bytes) on
 * the chain's signature backend, native libsecp256k1 when available: verification is the hot
 * path of PBFT (every vote of every validator).
 */
export class NativeSecp256k1Authenticator implements PbftAuthenticator {
  private readonly publicKeyOf: ConsensusKeyLookup;

  /**
   * @param secretKey this node's 32-byte consensus secret key
   * @param validators fixed validators (ids and compressed consensus public keys), or a lookup
   *   into the live node set (validators that join later sign with keys the chain recorded)
   */
  constructor(
    private readonly secretKey: Uint8Array,
    validators: readonly Pick<GenesisValidator, 'nodeId' | 'consensusPublicKey'>[] | ConsensusKeyLookup,
  ) {
    if (typeof validators === 'function') {
      this.publicKeyOf = validators;
    } else {
      const keys = new Map(validators.map((v) => [v.nodeId, fromHex(v.consensusPublicKey) ?? new Uint8Array(0)]));
      this.publicKeyOf = (id) => keys.get(id);
    }
  }

  sign(bytes: Uint8Array): Uint8Array {
    return signDigest(sha256(bytes), this.secretKey);
  }

  verify(validatorId: ValidatorId, bytes: Uint8Array, signature: Uint8Array): boolean {
    const publicKey = this.publicKeyOf(validatorId);
    return publicKey !== undefined && verifyDigest(signature, sha256(bytes), publicKey);
  }
}
