import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** The result of submitting one transaction. */
export class SubmissionView {
  @ApiProperty({ description: 'Transaction hash (hex)' }) hash!: string;
  @ApiProperty({ enum: ['pending', 'queued', 'committed', 'rejected'], description: 'queued = waiting for a lower nonce of the same sender' }) status!: string;
  @ApiPropertyOptional() height?: number;
  @ApiPropertyOptional() index?: number;
  @ApiPropertyOptional({ description: 'Rejection code when status is rejected' }) code?: string;
  @ApiPropertyOptional() message?: string;
}

/** One entry of a batch result: accepted (with status) or refused (with code). */
export class BatchItemView {
  @ApiPropertyOptional() hash?: string;
  @ApiProperty() accepted!: boolean;
  @ApiPropertyOptional({ enum: ['pending', 'queued'] }) status?: string;
  @ApiPropertyOptional() code?: string;
  @ApiPropertyOptional() message?: string;
}

export class BatchView {
  @ApiProperty() accepted!: number;
  @ApiProperty() rejected!: number;
  @ApiProperty({ type: [BatchItemView] }) results!: BatchItemView[];
}

export class BlockHeaderView {
  @ApiProperty() chainId!: string;
  @ApiProperty() height!: number;
  @ApiProperty() prevHash!: string;
  @ApiProperty({ description: 'Milliseconds since the Unix epoch' }) timestampMs!: string;
  @ApiProperty() txRoot!: string;
  @ApiProperty() stateRoot!: string;
  @ApiProperty() proposer!: string;
  @ApiProperty() consensusData!: string;
  @ApiProperty() txCount!: number;
  @ApiProperty() powDifficultyBits!: number;
  @ApiProperty() powNonce!: string;
}

export class BlockView {
  @ApiProperty() height!: number;
  @ApiProperty() hash!: string;
  @ApiProperty({ type: BlockHeaderView }) header!: BlockHeaderView;
  @ApiProperty({ description: 'Encoded header (hex): hash it with SHA-256 to get the block hash' }) headerBytes!: string;
  @ApiProperty({ type: [String], description: 'Transaction hashes in block order' }) txHashes!: string[];
  @ApiPropertyOptional({ description: 'Consensus commit proof (hex), when the consensus produces one' }) certificate?: string;
}

export class MerkleProofView {
  @ApiProperty() leafIndex!: number;
  @ApiProperty() leafCount!: number;
  @ApiProperty({ type: [String] }) path!: string[];
  @ApiProperty({ description: 'txRoot of the block header' }) root!: string;
}

export class TransactionView {
  @ApiProperty() hash!: string;
  @ApiProperty({ enum: ['pending', 'queued', 'committed', 'rejected'] }) status!: string;
  @ApiPropertyOptional() height?: number;
  @ApiPropertyOptional() index?: number;
  @ApiPropertyOptional() code?: string;
  @ApiPropertyOptional() message?: string;
  @ApiPropertyOptional({ description: 'Decoded transaction' }) tx?: Record<string, unknown>;
  @ApiPropertyOptional({ description: 'Signed transaction bytes (hex)' }) raw?: string;
  @ApiPropertyOptional({ type: MerkleProofView }) proof?: MerkleProofView;
  @ApiPropertyOptional({ type: BlockView, description: 'The block holding it (header and certificate)' }) block?: BlockView;
}

export class MemberView {
  @ApiProperty() publicKey!: string;
  @ApiProperty({ enum: ['client', 'validator', 'org-admin'] }) role!: string;
  @ApiProperty() organization!: string;
  @ApiProperty({ enum: ['active', 'suspended', 'removed'] }) status!: string;
}

export class AccountView {
  @ApiProperty() address!: string;
  @ApiProperty({ description: 'Unsigned 64-bit integer as a decimal string' }) balance!: string;
  @ApiProperty({ description: 'Next nonce the account must use' }) nonce!: string;
  @ApiPropertyOptional({ description: 'Pending transactions of this account in the pool' }) pending?: number;
}

export class RecordView {
  @ApiProperty() key!: string;
  @ApiProperty({ description: 'Value, base64' }) value!: string;
  @ApiProperty({ description: 'Value, hex' }) valueHex!: string;
  @ApiProperty() owner!: string;
  @ApiProperty() height!: number;
  @ApiProperty() txHash!: string;
}

export class ConsensusView {
  @ApiProperty({ enum: ['solo', 'raft', 'pbft'] }) type!: string;
  @ApiProperty() role!: string;
  @ApiPropertyOptional() leaderId?: string;
  @ApiPropertyOptional() epoch?: string;
  @ApiProperty() commitHeight!: string;
}

export class SyncView {
  @ApiProperty({ enum: ['syncing', 'synced'], description: 'syncing while blocks are fetched from peers' }) state!: string;
  @ApiProperty({ description: 'Height of the last committed block (decimal string)' }) height!: string;
  @ApiProperty({ description: 'Height being synced to; the best known peer head when synced (decimal string)' }) targetHeight!: string;
  @ApiProperty({ description: 'Blocks behind the best head peers announced (decimal string)' }) lagBlocks!: string;
  @ApiProperty({ type: [String], description: 'Peers that served blocks in the current or last sync' }) peers!: string[];
  @ApiProperty({ description: 'Blocks per second synced over the last seconds' }) blocksPerSecond!: number;
  @ApiProperty({ description: 'Transactions per second synced over the last seconds' }) txsPerSecond!: number;
  @ApiProperty({ description: 'Blocks committed through sync since start' }) blocksSynced!: number;
  @ApiProperty({ description: 'Transactions committed through sync since start' }) txsSynced!: number;
  @ApiProperty({ description: 'Peers dropped from sync for serving bad blocks since start' }) badPeers!: number;
}

export class StatusView {
  @ApiProperty() chainId!: string;
  @ApiProperty() nodeId!: string;
  @ApiProperty() height!: number;
  @ApiProperty() headHash!: string;
  @ApiProperty() stateRoot!: string;
  @ApiProperty({ type: ConsensusView }) consensus!: ConsensusView;
  @ApiProperty({ type: [String] }) peers!: string[];
  @ApiProperty() mempool!: Record<string, number>;
  @ApiProperty({ description: 'native-libsecp256k1 or noble' }) signatureBackend!: string;
  @ApiProperty({ description: 'inline, local or bull' }) verifier!: string;
  @ApiProperty({ type: SyncView, description: 'Block sync progress' }) sync!: SyncView;
}

export class ErrorView {
  @ApiProperty({ description: 'Stable machine-readable code' }) code!: string;
  @ApiProperty() message!: string;
  @ApiPropertyOptional() details?: unknown;
}
