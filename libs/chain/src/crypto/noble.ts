import * as secp from '@noble/secp256k1';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';

// @noble/secp256k1 3 leaves its sync hash hooks unset; wire them once, here, for every user.
secp.hashes.sha256 = nobleSha256;
secp.hashes.hmacSha256 = (key, message) => hmac(nobleSha256, key, message);

/** @noble/secp256k1 with its synchronous hashing configured. */
export { secp };
