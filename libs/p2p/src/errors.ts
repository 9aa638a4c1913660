import { AccordError } from '#common';

/** Stable codes of the errors raised by the p2p transport. */
export type P2pErrorCode =
  | 'FRAME_TOO_LARGE'
  | 'FRAME_CHECKSUM'
  | 'FRAME_VERSION'
  | 'FRAME_TYPE'
  | 'P2P_INVALID_TYPE'
  | 'P2P_NOT_STARTED'
  | 'P2P_CONFIG'
  | 'P2P_REVOCATION_FORMAT'
  | 'P2P_CRL_FORMAT';

/** An AccordError raised by libs/p2p; `code` is one of {@link P2pErrorCode}. */
export class P2pError extends AccordError {
  declare readonly code: P2pErrorCode;

  constructor(code: P2pErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'P2pError';
  }
}
