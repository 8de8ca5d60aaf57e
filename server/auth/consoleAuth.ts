import { createHash, randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Clock } from '../clock';
import type { AdminStore } from '../store/ports';
import { type ConsoleTokens, localConsoleTokens } from './consoleTokens';
import { invalidCredentials, loginThrottled } from './errors';
import type { HashGate } from './hashGate';
import { generatePassword, hashPassword, needsRehash, verifyPassword } from './password';
import type { Principal } from './principal';
import type { Throttle } from './throttle';

export const ADMIN_USERNAME = 'admin';
const SESSION_TTL_MS = 7 * 24 * 3600_000;
/** Console MQTT tokens only need to outlive one connect; the console asks again on reconnect. */
export const CONSOLE_TOKEN_TTL_MS = 10 * 60_000;
export const CONSOLE_TOKEN_PREFIX = 'MOTE-CONSOLE.';

/**
 * The console session's credential ID: not secret (a hash of the session ID), so logs may
 * show it; the MQTT sessions its console tokens opened are keyed by it and end with it.
 */
export const sessionCredentialId = (sessionId: string) =>
  `session:${createHash('sha256').update(sessionId).digest('hex').slice(0, 16)}`;

export interface LoginResult {
  sessionId: string;
  csrfToken: string;
  expiresAt: Date;
}

/**
 * The console's one admin account, its sessions, and short-lived tokens for MQTT over WS. A
 * token belongs to the session that asked for it: the MQTT session it opens expires with the
 * console session and ends at its logout (issue 17 item 8: it outlived logout, with no expiry).
 */
export function consoleAuth(deps: {
  admin: AdminStore;
  clock: Clock;
  throttle: Throttle;
  hashGate: HashGate;
  /** Unspent MQTT tokens: in this process unless instances share them (REDIS_URL). */
  tokens?: ConsoleTokens;
}) {
  const { admin, clock, throttle, hashGate } = deps;
  const tokens = deps.tokens ?? localConsoleTokens(() => clock.now().getTime());
  const events = new EventEmitter();

  return {
    /**
     * Makes sure an admin password exists. With `configured` set it becomes the password;
     * otherwise one is generated on first start and returned so it can be printed once.
     */
    async ensureAdmin(configured: string | undefined): Promise<string | undefined> {
      const now = clock.now();
      await admin.deleteExpiredSessions(now);
      if (configured) {
        const current = await admin.passwordHash(ADMIN_USERNAME);
        if (!current || !(await verifyPassword(configured, current))) {
          // A changed password is how an admin shuts out whoever had the old one: their
          // sessions end with it (issue 17, item 11).
          await admin.setPassword(ADMIN_USERNAME, await hashPassword(configured), now);
          await admin.deleteSessions(ADMIN_USERNAME);
        } else if (needsRehash(current)) {
          await admin.setPassword(ADMIN_USERNAME, await hashPassword(configured), now);
        }
        return undefined;
      }
      if (await admin.passwordHash(ADMIN_USERNAME)) return undefined;
      const generated = generatePassword();
      await admin.setPassword(ADMIN_USERNAME, await hashPassword(generated), now);
      return generated;
    },

    async login(password: string, address: string): Promise<LoginResult> {
      // Counted before the slow check: 200 concurrent attempts get `loginFailures` checks, not 200.
      const wait = await throttle.take(address);
      if (wait > 0) {
        throw loginThrottled({ retry_after_s: Math.ceil(wait / 1000) });
      }
      const hash = await admin.passwordHash(ADMIN_USERNAME);
      if (!hash || !(await hashGate.run(() => verifyPassword(password, hash)))) {
        throw invalidCredentials();
      }
      await throttle.succeed(address);
      const now = clock.now();
      await admin.deleteExpiredSessions(now);
      if (needsRehash(hash)) {
        await admin.setPassword(ADMIN_USERNAME, await hashGate.run(() => hashPassword(password)), now);
      }
      const result = {
        sessionId: randomBytes(32).toString('base64url'),
        csrfToken: randomBytes(24).toString('base64url'),
        expiresAt: new Date(now.getTime() + SESSION_TTL_MS),
      };
      await admin.createSession(
        result.sessionId,
        {
          username: ADMIN_USERNAME,
          csrf_token: result.csrfToken,
          expires_at: result.expiresAt.toISOString(),
        },
        now,
      );
      return result;
    },

    async session(
      sessionId: string,
    ): Promise<(Extract<Principal, { kind: 'admin' }> & { csrfToken: string }) | undefined> {
      const s = await admin.findSession(sessionId, clock.now());
      if (!s) return undefined;
      return {
        kind: 'admin',
        credentialId: sessionCredentialId(sessionId),
        username: s.username,
        expiresAt: new Date(s.expires_at),
        csrfToken: s.csrf_token,
      };
    },

    /** Ends the session, its unspent console tokens, and the MQTT sessions they opened. */
    async logout(sessionId: string): Promise<void> {
      // Its unspent tokens die with it: redeeming one looks the session up.
      await admin.deleteSession(sessionId);
      events.emit('revoked', sessionCredentialId(sessionId));
    },

    /** Console sessions that ended: the MQTT server closes the sessions opened with their tokens. */
    onRevoked(listener: (credentialId: string) => void): () => void {
      events.on('revoked', listener);
      return () => events.off('revoked', listener);
    },

    /** A token for the console session `sessionId`; undefined when that session is over. */
    async issueToken(sessionId: string): Promise<{ token: string; expiresAt: Date } | undefined> {
      const now = clock.now().getTime();
      if (!(await admin.findSession(sessionId, clock.now()))) return undefined;
      const token = `${CONSOLE_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
      await tokens.put(token, sessionId, CONSOLE_TOKEN_TTL_MS);
      return { token, expiresAt: new Date(now + CONSOLE_TOKEN_TTL_MS) };
    },

    /**
     * A console token is good for one connect within its TTL, while its console session lasts;
     * the MQTT session then lives as long as that console session (`expiresAt`, and logout).
     * Spent at once, so a token seen by anyone else (it grants every application) cannot be
     * replayed; the console asks for a new one on each reconnect.
     */
    async redeemToken(token: string): Promise<Extract<Principal, { kind: 'admin' }> | undefined> {
      const sessionId = await tokens.take(token);
      if (!sessionId) return undefined;
      const s = await admin.findSession(sessionId, clock.now());
      if (!s) return undefined;
      return {
        kind: 'admin',
        credentialId: sessionCredentialId(sessionId),
        username: s.username,
        expiresAt: new Date(s.expires_at),
      };
    },
  };
}

export type ConsoleAuth = ReturnType<typeof consoleAuth>;
