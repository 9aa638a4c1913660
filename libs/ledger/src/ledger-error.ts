import { AccordError } from '#common';

/** Stable codes of ledger failures. */
export const LedgerErrorCode = {
  GENESIS_MISMATCH: 'GENESIS_MISMATCH',
  LEDGER_CORRUPT: 'LEDGER_CORRUPT',
  NOT_NEXT_BLOCK: 'NOT_NEXT_BLOCK',
  LEDGER_CLOSED: 'LEDGER_CLOSED',
} as const;

/** A ledger failure with a stable code. */
export class LedgerError extends AccordError {
  constructor(code: (typeof LedgerErrorCode)[keyof typeof LedgerErrorCode], message: string) {
    super(code, message);
    this.name = 'LedgerError';
  }
}
