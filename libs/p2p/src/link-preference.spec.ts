import { describe, expect, it } from 'vitest';
import { newLinkWins } from './link-preference.js';
import type { LinkDirection } from './peer-link.js';

/** Mirror of a link seen from the other end. */
const flip = (direction: LinkDirection): LinkDirection => (direction === 'inbound' ? 'outbound' : 'inbound');

describe('newLinkWins', () => {
  it('keeps the connection dialed by the lower node id, whichever completes first', () => {
    expect(newLinkWins('node-a', 'node-b', 'outbound', 'inbound')).toBe(true);
    expect(newLinkWins('node-a', 'node-b', 'inbound', 'outbound')).toBe(false);
    expect(newLinkWins('node-b', 'node-a', 'inbound', 'outbound')).toBe(true);
    expect(newLinkWins('node-b', 'node-a', 'outbound', 'inbound')).toBe(false);
  });

  it('lets both ends agree on the survivor in every arrival order', () => {
    const directions: LinkDirection[] = ['inbound', 'outbound'];
    for (const newer of directions) {
      for (const older of directions) {
        if (newer === older) continue;
        const survivorOnA = newLinkWins('node-a', 'node-b', newer, older) ? newer : older;
        // node-b may see the two links complete in either order.
        for (const bSeesNewFirst of [true, false]) {
          const [bNew, bOld] = bSeesNewFirst ? [flip(older), flip(newer)] : [flip(newer), flip(older)];
          const survivorOnB = newLinkWins('node-b', 'node-a', bNew, bOld) ? bNew : bOld;
          expect(survivorOnB).toBe(flip(survivorOnA));
        }
      }
    }
  });

  it('prefers the newer link when the same side dialed both', () => {
    expect(newLinkWins('node-a', 'node-b', 'outbound', 'outbound')).toBe(true);
    expect(newLinkWins('node-a', 'node-b', 'inbound', 'inbound')).toBe(true);
  });
});
