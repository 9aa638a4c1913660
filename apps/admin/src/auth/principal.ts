import type { UserRole } from '../db/entities/index.js';

/** The authenticated caller of a request. */
export interface Principal {
  userId: string;
  username: string;
  role: UserRole;
  mustChangePassword: boolean;
  /** SHA-256 of the bearer token, to end this session on logout. */
  sessionHash: string;
}
