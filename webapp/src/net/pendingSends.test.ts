import { describe, expect, it } from 'vitest';
import { newClientId, PendingSends } from './pendingSends';

describe('PendingSends across a reconnect', () => {
  it('offers unacked sends again with the same clientId, and acked ones never', () => {
    const p = new PendingSends();
    p.add('r1', 'one', 'c1');
    p.add('r1', 'two', 'c2');
    p.add('r2', 'elsewhere', 'c3');
    ['c1', 'c2', 'c3'].forEach((id) => p.markSent(id));
    p.onAck('c1', 41);
    expect(p.queued('r1')).toEqual([]);

    p.onDisconnect();
    expect(p.queued('r1').map((s) => [s.clientId, s.text])).toEqual([['c2', 'two']]);
    expect(p.queued('r2').map((s) => s.clientId)).toEqual(['c3']);
    expect(p.get('c1')).toMatchObject({ state: 'acked', seq: 41 });
  });

  it('keeps a send queued while the socket is down and sends it once it is up', () => {
    const p = new PendingSends();
    p.add('r', 'typed offline', 'c1');
    p.onDisconnect();
    expect(p.queued('r').map((s) => s.clientId)).toEqual(['c1']);
    p.markSent('c1');
    expect(p.queued('r')).toEqual([]);
  });

  it('stops showing a send once its message is delivered, and a repeat delivery adds nothing', () => {
    const p = new PendingSends();
    p.add('r', 'hello', 'c1');
    p.markSent('c1');
    p.onDisconnect();
    p.markSent('c1'); // the retry after the reconnect
    p.onAck('c1', 7);
    p.onDelivered('c1');
    p.onDelivered('c1');
    expect(p.inRoom('r')).toEqual([]);
    p.onAck('c1', 7); // a late ack for a delivered send does not bring it back
    expect(p.inRoom('r')).toEqual([]);
  });

  it('retries unavailable and rate_limited, fails other errors', () => {
    const p = new PendingSends();
    p.add('r', 'a', 'c1');
    p.add('r', 'b', 'c2');
    p.markSent('c1');
    p.markSent('c2');
    expect(p.onError('c1', 'unavailable', 'journal down')).toBe(true);
    expect(p.onError('c2', 'bad_request', 'text too long')).toBe(false);
    expect(p.queued('r').map((s) => s.clientId)).toEqual(['c1']);
    expect(p.get('c2')).toMatchObject({ state: 'failed', error: 'text too long' });
    p.retry('c2');
    expect(p.queued('r').map((s) => s.clientId)).toEqual(['c1', 'c2']);
  });

  it('makes clientIds within the protocol bound', () => {
    const ids = new Set(Array.from({ length: 100 }, newClientId));
    expect(ids.size).toBe(100);
    for (const id of ids) expect(id.length).toBeLessThanOrEqual(64);
  });
});
