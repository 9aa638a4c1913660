import { LedgerSchema1764000000000 } from './1764000000000-LedgerSchema.js';
import { RaftLog1764000000001 } from './1764000000001-RaftLog.js';
import { PbftState1764000000002 } from './1764000000002-PbftState.js';
import { LedgerNodes1764000000003 } from './1764000000003-LedgerNodes.js';
import { TransactionHashKey1764000000004 } from './1764000000004-TransactionHashKey.js';
import { ReceiptsOfCommitted1764000000005 } from './1764000000005-ReceiptsOfCommitted.js';

/** Ledger migrations in order. Listed as classes so they run from sources and from dist/ alike. */
export const LEDGER_MIGRATIONS = [LedgerSchema1764000000000, RaftLog1764000000001, PbftState1764000000002, LedgerNodes1764000000003, TransactionHashKey1764000000004, ReceiptsOfCommitted1764000000005];
