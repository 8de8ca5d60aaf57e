import { describe, expect, it } from 'vitest';
import { GatewayConnections } from './connections';
import { cachedLookup } from './registry';

const from = { address: '192.0.2.1', port: 1700 };

function clockAt(start = 0) {
  let now = start;
  return { clock: { now: () => new Date(now) }, advance: (ms: number) => (now += ms) };
}

describe('GatewayConnections', () => {
  it('keeps the last events of a gateway in a bounded ring, seq increasing', () => {
    const { clock } = clockAt();
    const c = new GatewayConnections(clock, 10_000, 200);
    c.seen('01', from, 'gw');
    for (let i = 0; i < 250; i++) c.record('01', { kind: 'up', fCnt: i });
    const ring = c.traffic('01');
    expect(ring).toHaveLength(200);
    expect(ring[0]).toMatchObject({ seq: 51, fCnt: 50 });
    expect(ring.at(-1)).toMatchObject({ seq: 250, fCnt: 249 });
    expect(c.traffic('01', 248).map((e) => e.seq)).toEqual([249, 250]);
  });

  it('has a downlink path for three keepalives after a PULL_DATA', () => {
    const { clock, advance } = clockAt();
    const c = new GatewayConnections(clock, 10_000);
    c.seen('01', from, 'gw');
    expect(c.hasDownlinkPath('01')).toBe(false);
    c.pulled('01', from);
    advance(30_000);
    expect(c.downlinkAddress('01')).toEqual(from);
    expect(c.get('01')?.connected).toBe(true);
    advance(1);
    expect(c.downlinkAddress('01')).toBeUndefined();
    expect(c.get('01')?.connected).toBe(false);
  });

  it('forgets the stalest unregistered gateway past the limit, never a registered one', () => {
    const { clock, advance } = clockAt();
    const c = new GatewayConnections(clock, 10_000, 200, 3);
    c.seen('00', from, 'registered');
    for (const eui of ['01', '02', '03', '04']) {
      c.seen(eui, from, undefined);
      advance(1);
    }
    expect(
      c
        .list()
        .map((g) => g.eui)
        .sort(),
    ).toEqual(['00', '02', '03', '04']);
  });

  it('ignores a stat position of 0/0 (no GPS fix)', () => {
    const { clock } = clockAt();
    const c = new GatewayConnections(clock, 10_000);
    c.seen('01', from, 'gw');
    c.status('01', { lati: 0, long: 0, alti: 0 });
    expect(c.location('01')).toBeUndefined();
  });
});

describe('cachedLookup', () => {
  it('caches answers, misses included, until invalidated or expired; failures are not kept', async () => {
    const { clock, advance } = clockAt();
    let calls = 0;
    let fail = false;
    const lookup = cachedLookup(
      {
        findByEui: async () => {
          calls++;
          if (fail) throw new Error('database down');
          return undefined;
        },
      },
      clock,
      1000,
    );
    await lookup.find('01');
    await lookup.find('01');
    expect(calls).toBe(1);
    lookup.invalidate('01');
    await lookup.find('01');
    expect(calls).toBe(2);
    advance(1000);
    fail = true;
    await expect(lookup.find('01')).rejects.toThrow('database down');
    fail = false;
    await lookup.find('01');
    expect(calls).toBe(4);
  });
});
