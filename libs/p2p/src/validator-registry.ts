import { P2pError } from './errors.js';

/** A validator as the consortium registered it. */
export interface ValidatorInfo {
  /** Node id, e.g. `node-a`; matches the certificate's `urn:accord:validator:<nodeId>` SAN. */
  readonly nodeId: string;
  /** Lowercase hex SHA-256 of the validator's SubjectPublicKeyInfo (see `spkiSha256`). */
  readonly spkiSha256: string;
  /** Host to dial. */
  readonly host: string;
  /** TCP port to dial. */
  readonly port: number;
}

/** Immutable lookup of the validator set by node id and by key fingerprint. */
export class ValidatorRegistry {
  private readonly byNodeId = new Map<string, ValidatorInfo>();
  private readonly byFingerprint = new Map<string, ValidatorInfo>();

  /** Throws P2P_CONFIG on a duplicate node id or key. */
  constructor(validators: readonly ValidatorInfo[]) {
    for (const validator of validators) {
      const fingerprint = validator.spkiSha256.toLowerCase();
      if (this.byNodeId.has(validator.nodeId)) {
        throw new P2pError('P2P_CONFIG', `validator ${validator.nodeId} is listed twice`);
      }
      if (this.byFingerprint.has(fingerprint)) {
        throw new P2pError('P2P_CONFIG', `validators ${validator.nodeId} and ${this.byFingerprint.get(fingerprint)?.nodeId} share a key`);
      }
      const normalized = { ...validator, spkiSha256: fingerprint };
      this.byNodeId.set(validator.nodeId, normalized);
      this.byFingerprint.set(fingerprint, normalized);
    }
  }

  /** The validator with this node id, if registered. */
  get(nodeId: string): ValidatorInfo | undefined {
    return this.byNodeId.get(nodeId);
  }

  /** The validator whose registered key has this SPKI SHA-256 fingerprint, if any. */
  findByFingerprint(spkiSha256: string): ValidatorInfo | undefined {
    return this.byFingerprint.get(spkiSha256);
  }

  /** Every registered validator. */
  all(): ValidatorInfo[] {
    return [...this.byNodeId.values()];
  }
}
