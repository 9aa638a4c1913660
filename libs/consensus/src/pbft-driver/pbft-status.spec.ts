import { describe, expect, it } from 'vitest';
import { pbftStatus } from './pbft-status.js';

const validators = ['v1', 'v2', 'v3', 'v4'];
const base = { view: 1, viewChanging: false, validators, nodeId: 'v3', retired: false, commitHeight: 12n };

describe('pbftStatus', () => {
  it('names the primary of an established view and this node’s role in it', () => {
    expect(pbftStatus(base)).toEqual({ type: 'pbft', role: 'replica', leaderId: 'v2', epoch: '1', commitHeight: '12' });
    expect(pbftStatus({ ...base, nodeId: 'v2' })).toMatchObject({ role: 'primary', leaderId: 'v2' });
  });

  it('names no primary while changing views, even when this node would be the next one', () => {
    expect(pbftStatus({ ...base, view: 2, viewChanging: true })).toEqual({ type: 'pbft', role: 'replica', leaderId: undefined, epoch: '2', commitHeight: '12' });
    expect(pbftStatus({ ...base, view: 2, viewChanging: true, nodeId: 'v3' }).role).toBe('replica');
  });

  it('a node removed from the voters reports itself as an observer', () => {
    expect(pbftStatus({ ...base, nodeId: 'v9', retired: true }).role).toBe('observer');
  });
});
