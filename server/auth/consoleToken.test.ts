/**
 * Issue 17 item 8, the clock-driven half: a console token's MQTT session carries its console
 * session's expiry (the MQTT server closes sessions at their credential's expiry, test/mqtt-auth
 * .test.ts), and neither a new token nor an unspent one works once the console session is over.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Fixture, openFixture, withDevice } from '../../test/helpers/fixture';
import { mqttAuthenticator } from './mqttAuth';

let f: Fixture;
beforeEach(async () => {
  f = await openFixture();
  await withDevice(f);
});
afterEach(() => f.close());

const authenticate = () =>
  mqttAuthenticator({
    apiKeys: f.mote.apiKeys,
    console: f.mote.consoleAuth,
    applications: f.store.applications,
  });

describe('console tokens follow their console session', () => {
  it('the MQTT principal expires with the console session, and is revoked by its logout', async () => {
    const session = await f.mote.consoleAuth.login('fixture-password', '127.0.0.1');
    const issued = await f.mote.consoleAuth.issueToken(session.sessionId);
    const principal = await authenticate()('app1', issued!.token);
    expect(principal?.expiresAt?.toISOString()).toBe(session.expiresAt.toISOString());
    const revoked: string[] = [];
    f.mote.consoleAuth.onRevoked((id) => revoked.push(id));
    await f.mote.consoleAuth.logout(session.sessionId);
    expect(revoked).toEqual([principal?.credentialId]);
  });

  it('past the session’s expiry no token is issued, and one issued before does not connect', async () => {
    const session = await f.mote.consoleAuth.login('fixture-password', '127.0.0.1');
    const early = await f.mote.consoleAuth.issueToken(session.sessionId);
    f.clock.advance(session.expiresAt.getTime() - f.clock.now().getTime());
    expect(await f.mote.consoleAuth.issueToken(session.sessionId)).toBeUndefined();
    expect(await authenticate()('app1', early!.token)).toBeUndefined();
  });

  it('a token issued before logout does not connect after it', async () => {
    const session = await f.mote.consoleAuth.login('fixture-password', '127.0.0.1');
    const issued = await f.mote.consoleAuth.issueToken(session.sessionId);
    await f.mote.consoleAuth.logout(session.sessionId);
    expect(await authenticate()('app1', issued!.token)).toBeUndefined();
  });
});
