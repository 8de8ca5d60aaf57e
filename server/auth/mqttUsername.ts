import { isValidId, splitTenant } from '../../lib/ids';

/**
 * An MQTT username (docs/behaviour.md §3.2): the application ID, or TTS Cloud's
 * `{app}@{tenant}` when the tenant is this server's (`MOTE_TENANT_ID`). The session then speaks
 * topics in the form it logged in with.
 */
export type MqttUsername =
  | { ok: true; applicationId: string; tenant?: string }
  | { ok: false; name: 'malformed_username' }
  | { ok: false; name: 'unknown_tenant'; applicationId: string; tenant: string };

export function parseMqttUsername(username: string, tenantId: string): MqttUsername {
  const { id, tenant } = splitTenant(username);
  if (!isValidId(id)) return { ok: false, name: 'malformed_username' };
  if (tenant === undefined) return { ok: true, applicationId: id };
  if (tenant !== tenantId) {
    // Named in logs and MQTT 5 reason strings: cut short, since it is whatever the client sent.
    return { ok: false, name: 'unknown_tenant', applicationId: id, tenant: tenant.slice(0, 64) };
  }
  return { ok: true, applicationId: id, tenant };
}
