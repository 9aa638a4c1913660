export * from './types.js';
export * from './messages.js';
export { MemoryRaftStorage, RAFT_STORAGE_ERRORS, type RaftStorage } from './storage.js';
export { Raft, type ProposeResult, type RaftOptions, type SyncTarget } from './raft.js';
export { RaftNode, type RaftNodeOptions, type RaftReady, type SyncRequest } from './node.js';
export { decodeRaftMessage, encodeRaftMessage } from './codec.js';
