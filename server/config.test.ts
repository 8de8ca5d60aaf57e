import { describe, expect, it } from 'vitest';
import { readConfig } from './config';

const env = (vars: Record<string, string> = {}) => readConfig({ NODE_ENV: 'test', ...vars });

describe('MOTE_NET_ID', () => {
  it('defaults to 000000 and is upper-cased', () => {
    expect(env().netId).toBe('000000');
    expect(env({ MOTE_NET_ID: '00001a' }).netId).toBe('00001A');
  });

  it.each(['13', '0000131', 'xyz123'])('refuses %s at start', (raw) => {
    expect(() => env({ MOTE_NET_ID: raw })).toThrow(/MOTE_NET_ID must be 6 hex digits/);
  });
});

describe('MOTE_TENANT_ID', () => {
  it('defaults to ttn', () => {
    expect(env().tenantId).toBe('ttn');
    expect(env({ MOTE_TENANT_ID: 'acme-corp' }).tenantId).toBe('acme-corp');
  });

  it.each(['TTN', 'a', 'ttn@x', 'a b'])('refuses %s at start', (raw) => {
    expect(() => env({ MOTE_TENANT_ID: raw })).toThrow(/MOTE_TENANT_ID must be an ID/);
  });
});

describe('MOTE_MQTT_MAX_SUBSCRIPTIONS', () => {
  it('defaults to 10 000', () => {
    expect(env().mqttMaxSubscriptions).toBe(10_000);
    expect(env({ MOTE_MQTT_MAX_SUBSCRIPTIONS: '50' }).mqttMaxSubscriptions).toBe(50);
    expect(() => env({ MOTE_MQTT_MAX_SUBSCRIPTIONS: '-1' })).toThrow(/non-negative integer/);
  });
});
