import { describe, expect, it } from 'vitest';
import { trustedProxies } from './clientAddress';

describe('trustedProxies', () => {
  const proxies = trustedProxies(['10.0.0.1', '192.168.0.0/16', 'fd00::/8']);

  it.each([
    // [peer, X-Forwarded-For, client]
    ['10.0.0.1', '203.0.113.7', '203.0.113.7'],
    ['10.0.0.1', '198.51.100.1, 203.0.113.7', '203.0.113.7'],
    ['::ffff:10.0.0.1', '203.0.113.7', '203.0.113.7'],
    ['10.0.0.1', '203.0.113.7, 192.168.4.4', '203.0.113.7'],
    ['fd00::1', '2001:db8::7', '2001:db8::7'],
    ['10.0.0.1', undefined, '10.0.0.1'],
    ['10.0.0.1', 'not-an-ip', '10.0.0.1'],
    ['10.0.0.1', '192.168.1.1', '192.168.1.1'],
    // Not from a trusted proxy: the header is the client's own say-so.
    ['203.0.113.9', '198.51.100.1', '203.0.113.9'],
    ['10.0.0.2', '198.51.100.1', '10.0.0.2'],
  ])('from %s with %s: %s', (peer, forwardedFor, client) => {
    expect(proxies.clientOf(peer, forwardedFor)).toBe(client);
  });

  it('trusts nobody when none are configured', () => {
    const none = trustedProxies([]);
    expect(none.trusted('10.0.0.1')).toBe(false);
    expect(none.clientOf('10.0.0.1', '203.0.113.7')).toBe('10.0.0.1');
  });
});
