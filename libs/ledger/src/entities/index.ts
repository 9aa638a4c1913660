import { BlockEntity } from './block.entity.js';
import { ReceiptEntity } from './receipt.entity.js';
import { AccountEntity, KafkaOffsetEntity, MemberEntity, MetaEntity, NodeEntity, RecordEntity } from './state.entities.js';
import { TransactionEntity } from './transaction.entity.js';

export { BlockEntity, ReceiptEntity, AccountEntity, KafkaOffsetEntity, MemberEntity, MetaEntity, NodeEntity, RecordEntity, TransactionEntity };

/** Every entity of the ledger schema. */
export const LEDGER_ENTITIES = [BlockEntity, TransactionEntity, ReceiptEntity, AccountEntity, MemberEntity, RecordEntity, NodeEntity, MetaEntity, KafkaOffsetEntity];
