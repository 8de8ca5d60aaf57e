import { describe, expect, it } from 'vitest';
import { parseMqttUsername } from './mqttUsername';

describe('MQTT usernames', () => {
  it.each([
    ['app1', { ok: true, applicationId: 'app1' }],
    ['app1@ttn', { ok: true, applicationId: 'app1', tenant: 'ttn' }],
    ['app1@other', { ok: false, name: 'unknown_tenant', applicationId: 'app1', tenant: 'other' }],
    ['app1@', { ok: false, name: 'unknown_tenant', applicationId: 'app1', tenant: '' }],
    ['app1@ttn@ttn', { ok: false, name: 'unknown_tenant', applicationId: 'app1', tenant: 'ttn@ttn' }],
    ['@ttn', { ok: false, name: 'malformed_username' }],
    ['App 1!', { ok: false, name: 'malformed_username' }],
    ['', { ok: false, name: 'malformed_username' }],
  ])('%j → %j', (username, expected) => {
    expect(parseMqttUsername(username, 'ttn')).toEqual(expected);
  });
});
