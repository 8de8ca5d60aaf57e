import type { ApiKeyRecord, Application, EndDevice } from '../store/ports';

/** Store records → the TTS JSON shapes the API returns. Empty fields are omitted, as proto-JSON. */
const compact = <T extends object>(o: T) =>
  Object.fromEntries(
    Object.entries(o).filter(([, v]) => v !== undefined && v !== null && v !== ''),
  ) as Partial<T>;

export const applicationView = (a: Application) =>
  compact({
    ids: { application_id: a.application_id },
    name: a.name,
    description: a.description,
    created_at: a.created_at,
    updated_at: a.updated_at,
  });

export const deviceView = (d: EndDevice) =>
  compact({
    ids: compact({
      device_id: d.device_id,
      application_ids: { application_id: d.application_id },
      dev_eui: d.dev_eui,
      join_eui: d.join_eui,
      dev_addr: d.dev_addr,
    }),
    name: d.name,
    description: d.description,
    last_seen_at: d.last_seen_at,
    created_at: d.created_at,
    updated_at: d.updated_at,
  });

export const apiKeyView = (k: ApiKeyRecord) =>
  compact({
    id: k.id,
    name: k.name,
    rights: k.rights,
    expires_at: k.expires_at,
    created_at: k.created_at,
    updated_at: k.updated_at,
  });
