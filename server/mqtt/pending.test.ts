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
  it('caps each address', () => {
    const r = new PendingConnections(limits);
    expect(admitAndTrack(r, '10.0.0.1')).toBeDefined();
    expect(admitAndTrack(r, '10.0.0.1')).toBeDefined();
    expect(r.admit('10.0.0.1')).toBe(false);
    expect(r.admit('10.0.0.2')).toBe(true);
  });

  it('when full, lets an address with none pending in by evicting the oldest of the busiest', () => {
    const r = new PendingConnections(limits);
    const a1 = admitAndTrack(r, '10.0.0.1');
    admitAndTrack(r, '10.0.0.1');
    admitAndTrack(r, '10.0.0.2');
    admitAndTrack(r, '10.0.0.3');
    expect(r.size).toBe(4);
    // 10.0.0.3 already has one pending: it waits like everyone else.
    expect(r.admit('10.0.0.3')).toBe(false);
    expect(admitAndTrack(r, '10.0.0.4')).toBeDefined();
    expect(a1?.evicted).toBe(true);
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
