import { describe, expect, it } from 'vitest';
import { type GrantedQos, Subscriptions } from './subscriptions';

const UP = 'v3/app1/devices/dev1/up';

describe('Subscriptions.maxQos', () => {
  it.each([
    [[], -1],
    [[['v3/app1/#', 0]], 0],
    [
      [
        ['v3/app1/#', 0],
        ['v3/app1/devices/+/up', 1],
      ],
      1,
    ],
    [
      [
        ['v3/app1/devices/+/up', 1],
        ['v3/app1/#', 0],
      ],
      1,
    ],
    [[['v3/app1/devices/dev1/up', 0]], 0],
    [[['v3/app1/devices/dev2/up', 1]], -1],
    [[['v3/app1/devices/dev1/up/#', 1]], 1],
    [[['v3/app1/devices/+/down/+', 1]], -1],
    [[['v3/app1', 1]], -1],
    [[['#', 0]], 0],
    [[['v3/#', 1]], 1],
    [[['v3/app1/devices/dev1/#', 1]], 1],
    [[['v3/app1/devices/dev10/#', 1]], -1],
    [[['v3/app1/devices/+/#', 0]], 0],
    [
      [
        ['v3/app1/devices/dev1/up', 0],
        ['v3/app1/devices/dev1/#', 1],
      ],
      1,
    ],
  ] as Array<[Array<[string, GrantedQos]>, number]>)('%j → %i', (filters, want) => {
    const subs = new Subscriptions();
    for (const [f, q] of filters) subs.set(f, q);
    expect(subs.maxQos(UP)).toBe(want);
  });

  it('an equal filter replaces the old one [MQTT-3.8.4-3]; delete removes it', () => {
    const subs = new Subscriptions();
    subs.set('v3/app1/#', 1);
    subs.set('v3/app1/#', 0);
    expect(subs.size).toBe(1);
    expect(subs.maxQos(UP)).toBe(0);
    expect(subs.delete('v3/app1/#')).toBe(true);
    expect(subs.delete('v3/app1/#')).toBe(false);
    expect(subs.maxQos(UP)).toBe(-1);
  });

  it('a filter granting more on another topic, and its removal, leave `#` at its own QoS', () => {
    const subs = new Subscriptions();
    subs.set('#', 0);
    subs.set('v3/app1/devices/+/down/#', 1);
    expect(subs.maxQos(UP)).toBe(0);
    expect(subs.maxQos('v3/app1/devices/dev1/down/sent')).toBe(1);
    subs.delete('v3/app1/devices/+/down/#');
    expect(subs.maxQos('v3/app1/devices/dev1/down/sent')).toBe(0);
    subs.delete('#');
    expect(subs.maxQos(UP)).toBe(-1);
  });

  it('`…/#` also matches its parent level', () => {
    const subs = new Subscriptions();
    subs.set('v3/app1/devices/dev1/up/#', 0);
    expect(subs.maxQos('v3/app1/devices/dev1/up')).toBe(0);
    expect(subs.maxQos('v3/app1/devices/dev1/upx')).toBe(-1);
  });
});

describe('Subscriptions with many filters', () => {
  it('10 000 per-device filters: each device’s topic matches its own filter only', () => {
    const subs = new Subscriptions();
    for (let i = 0; i < 5_000; i++) {
      subs.set(`v3/app1/devices/dev-${i}/up`, 0);
      subs.set(`v3/app1/devices/dev-${i}/down/#`, 1);
    }
    expect(subs.size).toBe(10_000);
    expect(subs.maxQos('v3/app1/devices/dev-4999/up')).toBe(0);
    expect(subs.maxQos('v3/app1/devices/dev-4999/down/queued')).toBe(1);
    expect(subs.maxQos('v3/app1/devices/dev-5000/up')).toBe(-1);
    expect(subs.maxQos('v3/app1/devices/dev-1/join')).toBe(-1);
    expect(subs.delete('v3/app1/devices/dev-1/down/#')).toBe(true);
    expect(subs.maxQos('v3/app1/devices/dev-1/down/queued')).toBe(-1);
    expect(subs.size).toBe(9_999);
  });
});
