import { describe, expect, it } from 'vitest';
import { type PendingConnection, PendingConnections } from './pending';

const limits = { max: 4, perIp: 2, connectTimeoutMs: 10_000, pressuredConnectTimeoutMs: 2_000 };

/** A connection that settles itself when evicted, as Connection.close() does. */
function conn(registry: PendingConnections, remoteAddress: string) {
  const c: PendingConnection & { evicted: boolean } = {
    remoteAddress,
    evicted: false,
    evict() {
      c.evicted = true;
      registry.settle(c);
    },
  };
  return c;
}

function admitAndTrack(registry: PendingConnections, address: string) {
  if (!registry.admit(address)) return undefined;
  const c = conn(registry, address);
  registry.track(c);
  return c;
}

describe('PendingConnections', () => {
  it('caps each address: a newcomer displaces the oldest of its own address', () => {
    const r = new PendingConnections(limits);
    const first = admitAndTrack(r, '10.0.0.1');
    const second = admitAndTrack(r, '10.0.0.1');
    const third = admitAndTrack(r, '10.0.0.1');
    expect(third).toBeDefined();
    expect([first?.evicted, second?.evicted]).toEqual([true, false]);
    expect(r.size).toBe(2);
    expect(admitAndTrack(r, '10.0.0.2')).toBeDefined();
  });

  it("when full, evicts from the newcomer's own address, or from the busiest if it has none", () => {
    const r = new PendingConnections(limits);
    const a1 = admitAndTrack(r, '10.0.0.1');
    const a2 = admitAndTrack(r, '10.0.0.1');
    admitAndTrack(r, '10.0.0.2');
    const c1 = admitAndTrack(r, '10.0.0.3');
    expect(r.size).toBe(4);
    expect(admitAndTrack(r, '10.0.0.3')).toBeDefined();
    expect(c1?.evicted).toBe(true);
    expect(admitAndTrack(r, '10.0.0.4')).toBeDefined();
    expect([a1?.evicted, a2?.evicted]).toEqual([true, false]);
    expect(r.size).toBe(4);
  });

  it('frees a place when a connection settles, once', () => {
    const r = new PendingConnections(limits);
    const c = admitAndTrack(r, '10.0.0.1');
    admitAndTrack(r, '10.0.0.1');
    if (!c) throw new Error('not admitted');
    r.settle(c);
    r.settle(c);
    expect(r.size).toBe(1);
    expect(r.admit('10.0.0.1')).toBe(true);
  });

  it('shortens the CONNECT deadline while half the cap is pending', () => {
    const r = new PendingConnections(limits);
    admitAndTrack(r, '10.0.0.1');
    expect(r.connectDeadlineMs()).toBe(10_000);
    admitAndTrack(r, '10.0.0.2');
    expect(r.connectDeadlineMs()).toBe(2_000);
  });
});
