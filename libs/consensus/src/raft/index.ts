export * from './types.js';
export * from './messages.js';
export { MemoryRaftStorage, RAFT_STORAGE_ERRORS, type RaftStorage } from './storage.js';
export { Raft, type ProposeResult, type RaftOptions, type SyncTarget } from './raft.js';
export { RaftNode, type PeerProgress, type RaftNodeOptions, type RaftReady, type RaftStatus, type SyncRequest } from './node.js';
export type { ProgressState } from './progress.js';
export { decodeRaftMessage, encodeRaftMessage } from './codec.js';
