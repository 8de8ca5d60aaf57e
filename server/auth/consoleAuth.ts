import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock';
import type { AdminStore } from '../store/ports';
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

export interface LoginResult {
  sessionId: string;
  csrfToken: string;
  expiresAt: Date;
}

/** The console's one admin account, its sessions, and short-lived tokens for MQTT over WS. */
export function consoleAuth(deps: {
  admin: AdminStore;
  clock: Clock;
  throttle: Throttle;
  hashGate: HashGate;
}) {
  const { admin, clock, throttle, hashGate } = deps;
  const tokens = new Map<string, { username: string; expiresAt: number }>();

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
      const wait = throttle.take(address);
      if (wait > 0) {
        throw loginThrottled({ retry_after_s: Math.ceil(wait / 1000) });
      }
      const hash = await admin.passwordHash(ADMIN_USERNAME);
      if (!hash || !(await hashGate.run(() => verifyPassword(password, hash)))) {
        throw invalidCredentials();
      }
      throttle.succeed(address);
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
        credentialId: `session:${sessionId.slice(0, 8)}`,
        username: s.username,
        csrfToken: s.csrf_token,
      };
    },

    logout: (sessionId: string) => admin.deleteSession(sessionId),

    issueToken(username: string): { token: string; expiresAt: Date } {
      const now = clock.now().getTime();
      for (const [k, v] of tokens) if (v.expiresAt <= now) tokens.delete(k);
      const token = `${CONSOLE_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
      tokens.set(token, { username, expiresAt: now + CONSOLE_TOKEN_TTL_MS });
      return { token, expiresAt: new Date(now + CONSOLE_TOKEN_TTL_MS) };
    },

    /**
     * A console token is good for one connect within its TTL; the session then lives on. Spent
     * at once, so a token seen by anyone else (it grants every application) cannot be replayed;
     * the console asks for a new one on each reconnect.
     */
    redeemToken(token: string): Extract<Principal, { kind: 'admin' }> | undefined {
      const t = tokens.get(token);
      tokens.delete(token);
      if (!t || t.expiresAt <= clock.now().getTime()) return undefined;
      return {
        kind: 'admin',
        credentialId: `console:${token.slice(CONSOLE_TOKEN_PREFIX.length, CONSOLE_TOKEN_PREFIX.length + 8)}`,
        username: t.username,
      };
    },
  };
}

export type ConsoleAuth = ReturnType<typeof consoleAuth>;
