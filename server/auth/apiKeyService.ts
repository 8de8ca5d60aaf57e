import { EventEmitter } from 'node:events';
import type { Right } from '../../lib/rights';
import { changedRights, missingRights } from '../../lib/rights';
import type { Clock } from '../clock';
import type { ApiKeyRecord, ApiKeyStore, ApiKeyWithHash, ApplicationStore } from '../store/ports';
import { cannotGrantRights, cannotManageKey, expiryBeyondCaller, expiryInPast } from './errors';
import { generateApiKey, hashSecret, parseApiKey, secretMatches } from './keyFormat';
import { type ApiKeyPrincipal, type Principal, requireRights } from './principal';

export interface NewApiKey {
  name: string;
  rights: Right[];
  expires_at?: string | null;
}

export interface ApiKeyChange {
  name?: string;
  rights?: Right[];
  expires_at?: string | null;
}

/** Keys held verified in memory; past this the one held longest goes first. */
const VERIFIED_KEYS = 50_000;

/**
 * Application API keys (docs/behaviour.md §2): created with a subset of the caller's rights, shown once,
 * stored as a hash. Deleting, changing or expiring a key emits `revoked` so the MQTT server can
 * close its sessions at once.
 *
 * `authenticate` keeps the keys it found in memory (a connection storm read the same rows from the
 * store once per CONNECT: ~9 % of the server's CPU). An entry goes when its key is revoked here, or
 * elsewhere when the caller says so (`forget`, `forgetAll` — wired to the other instances'
 * notices in server/mote.ts); its expiry is checked at every use.
 */
export function apiKeyService(deps: { keys: ApiKeyStore; applications: ApplicationStore; clock: Clock }) {
  const { keys, applications, clock } = deps;
  const events = new EventEmitter();
  const verified = new Map<string, ApiKeyWithHash>();
  // Bumped by every forget: a lookup that overlapped one may have read the row before it changed.
  let forgets = 0;
  const forget = (id: string) => {
    forgets++;
    verified.delete(id);
  };
  const revoked = (id: string) => {
    forget(id);
    events.emit('revoked', id);
  };

  /** A key not held yet, from the store; held from then on. */
  async function readKey(id: string): Promise<ApiKeyWithHash | undefined> {
    const before = forgets;
    const stored = await keys.findWithHash(id);
    if (stored && before === forgets) {
      if (verified.size >= VERIFIED_KEYS) verified.delete(verified.keys().next().value ?? '');
      verified.set(id, stored);
    }
    return stored;
  }

  function principalOf(stored: ApiKeyWithHash | undefined, secret: string): ApiKeyPrincipal | undefined {
    if (!stored || !secretMatches(secret, stored.secret_hash)) return undefined;
    const expiresAt = stored.expires_at ? new Date(stored.expires_at) : undefined;
    if (expiresAt && expiresAt.getTime() <= clock.now().getTime()) return undefined;
    return {
      kind: 'api-key',
      credentialId: stored.id,
      applicationId: stored.application_id,
      rights: stored.rights,
      expiresAt,
    };
  }

  function checkExpiry(expiresAt: string | null | undefined): void {
    if (expiresAt && Date.parse(expiresAt) <= clock.now().getTime()) {
      throw expiryInPast({ field: 'expires_at' });
    }
  }

  function checkGrant(principal: Principal, applicationId: string, rights: Right[]): void {
    requireRights(principal, applicationId, 'RIGHT_APPLICATION_SETTINGS_API_KEYS');
    const lacking = principal.kind === 'admin' ? [] : missingRights(principal.rights, rights);
    if (lacking.length > 0) {
      throw cannotGrantRights({ missing_rights: lacking });
    }
  }

  /**
   * Deleting a key or changing its expiry needs every right the key has (as changing its rights
   * does): a lesser key could otherwise end a stronger one (issue 17 item 10).
   */
  function checkOutranks(principal: Principal, target: ApiKeyRecord): void {
    const lacking = principal.kind === 'admin' ? [] : missingRights(principal.rights, target.rights);
    if (lacking.length > 0) throw cannotManageKey({ missing_rights: lacking });
  }

  /**
   * An expiring key cannot outlive itself through a key it creates or re-times, itself included:
   * `null` (never) and anything past its own expiry are refused (issue 17 item 10).
   */
  function checkWithinCallerExpiry(principal: Principal, expiresAt: string | null): void {
    if (principal.kind !== 'api-key' || !principal.expiresAt) return;
    if (expiresAt !== null && Date.parse(expiresAt) <= principal.expiresAt.getTime()) return;
    throw expiryBeyondCaller({ caller_expires_at: principal.expiresAt.toISOString() });
  }

  return {
    onRevoked(listener: (id: string) => void): () => void {
      events.on('revoked', listener);
      return () => events.off('revoked', listener);
    },

    async create(
      principal: Principal,
      applicationId: string,
      input: NewApiKey,
    ): Promise<ApiKeyRecord & { key: string }> {
      checkGrant(principal, applicationId, input.rights);
      checkExpiry(input.expires_at);
      checkWithinCallerExpiry(principal, input.expires_at ?? null);
      await applications.get(applicationId);
      const { id, secret, key } = generateApiKey();
      const at = clock.now().toISOString();
      const record: ApiKeyRecord = {
        id,
        application_id: applicationId,
        name: input.name,
        rights: input.rights,
        expires_at: input.expires_at ?? null,
        created_at: at,
        updated_at: at,
      };
      await keys.insert({ ...record, secret_hash: hashSecret(secret) });
      return { ...record, key };
    },

    list(principal: Principal, applicationId: string): Promise<ApiKeyRecord[]> {
      requireRights(principal, applicationId, 'RIGHT_APPLICATION_SETTINGS_API_KEYS');
      return keys.list(applicationId);
    },

    get(principal: Principal, applicationId: string, id: string): Promise<ApiKeyRecord> {
      requireRights(principal, applicationId, 'RIGHT_APPLICATION_SETTINGS_API_KEYS');
      return keys.get(applicationId, id);
    },

    async update(
      principal: Principal,
      applicationId: string,
      id: string,
      change: ApiKeyChange,
    ): Promise<ApiKeyRecord> {
      requireRights(principal, applicationId, 'RIGHT_APPLICATION_SETTINGS_API_KEYS');
      const current = await keys.get(applicationId, id);
      if (change.rights) checkGrant(principal, applicationId, changedRights(current.rights, change.rights));
      if (change.expires_at !== undefined) {
        checkOutranks(principal, current);
        checkExpiry(change.expires_at);
        checkWithinCallerExpiry(principal, change.expires_at);
      }
      const updated = await keys.update(applicationId, id, change, clock.now());
      revoked(id);
      return updated;
    },

    async delete(principal: Principal, applicationId: string, id: string): Promise<void> {
      requireRights(principal, applicationId, 'RIGHT_APPLICATION_SETTINGS_API_KEYS');
      checkOutranks(principal, await keys.get(applicationId, id));
      await keys.delete(applicationId, id);
      revoked(id);
    },

    /**
     * The principal of a full API key, or undefined for any unknown, wrong or expired key. A key
     * held verified is answered at once, not in a promise: under Next.js's async hooks every
     * promise of a CONNECT costs twice, and a storm makes 10 000 of them (issue 18).
     */
    authenticate(key: string): ApiKeyPrincipal | undefined | Promise<ApiKeyPrincipal | undefined> {
      const parsed = parseApiKey(key);
      if (!parsed) return undefined;
      const held = verified.get(parsed.id);
      if (held) return principalOf(held, parsed.secret);
      return readKey(parsed.id).then((stored) => principalOf(stored, parsed.secret));
    },

    /** A key changed or deleted on another instance: read it from the store again. */
    forget,

    /** Notices from other instances may have been lost: read every key from the store again. */
    forgetAll(): void {
      forgets++;
      verified.clear();
    },

    /** After an application is deleted: its keys are gone, so their sessions must end too. */
    async revokeAll(keyIds: readonly string[]): Promise<void> {
      for (const id of keyIds) revoked(id);
    },

    /** Key IDs of an application, without rights checks: for the core, not for callers. */
    async idsOf(applicationId: string): Promise<string[]> {
      return (await keys.list(applicationId)).map((k) => k.id);
    },

    /** Emits `revoked` for keys that expired in (after, until]; called by a periodic watcher. */
    async revokeExpired(after: Date, until: Date): Promise<void> {
      for (const id of await keys.expiringBetween(after, until)) revoked(id);
    },
  };
}

export type ApiKeyService = ReturnType<typeof apiKeyService>;
