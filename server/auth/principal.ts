import { expandRights, type Right } from '../../lib/rights';
import { adminOnly, insufficientRights } from './errors';

/** Who is calling: the console's admin (every right on every application) or an API key. */
export type Principal =
  | {
      kind: 'admin';
      credentialId: string;
      username: string;
      /** When the console session ends (absent only where no session is involved). */
      expiresAt?: Date;
    }
  | {
      kind: 'api-key';
      credentialId: string;
      applicationId: string;
      rights: readonly Right[];
      expiresAt?: Date;
    };

export type ApiKeyPrincipal = Extract<Principal, { kind: 'api-key' }>;

export function rightsOn(principal: Principal, applicationId: string): readonly Right[] {
  if (principal.kind === 'admin') return ['RIGHT_APPLICATION_ALL'];
  return principal.applicationId === applicationId ? principal.rights : [];
}

/**
 * Throws 403 unless the principal holds every right on the application. A key of another
 * application gets the same 403 as a key lacking the right, so IDs cannot be probed.
 */
export function requireRights(principal: Principal, applicationId: string, ...required: Right[]): void {
  const have = expandRights(rightsOn(principal, applicationId));
  const missing = required.filter((r) => !have.has(r));
  if (missing.length > 0) {
    throw insufficientRights({ application_id: applicationId, missing_rights: missing });
  }
}

/** Listing applications: the admin sees all, a key only its own. */
export const visibleApplication = (principal: Principal, applicationId: string) =>
  principal.kind === 'admin' || principal.applicationId === applicationId;

export function requireAdmin(principal: Principal): void {
  if (principal.kind !== 'admin') {
    throw adminOnly();
  }
}

/** Who a CONNECT authenticated as. */
export interface MqttPrincipal {
  applicationId: string;
  rights: readonly Right[];
  /** API key ID or console-token ID; sessions are closed when it is revoked. */
  credentialId: string;
  expiresAt?: Date;
  /** The console's own session: it also receives console-only events (the bus message's `audience`). */
  console?: boolean;
}
