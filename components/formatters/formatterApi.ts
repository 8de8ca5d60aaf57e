import { apiFetch } from '@/lib/apiClient';
import type { MessagePayloadFormatters, SupportedFormatter } from '@/lib/formatters/model';
import { enc } from '../apiTypes';

/** Where the editor reads and writes: the application link, or one device's override. */
export interface FormatterScope {
  app: string;
  dev?: string;
}

export const formattersKey = (s: FormatterScope) => ['formatters', s.app, s.dev ?? ''] as const;
export const formattersPath = (s: FormatterScope) =>
  s.dev
    ? `/api/v3/as/applications/${enc(s.app)}/devices/${enc(s.dev)}`
    : `/api/v3/as/applications/${enc(s.app)}/link`;
export const testPath = (app: string) => `/api/v3/as/applications/${enc(app)}/formatters/test`;

/** The newest stored uplink's FPort and bytes (base64), the device's or the application's. */
export async function lastUplink(s: FormatterScope): Promise<{ fPort: number; frmPayload: string } | null> {
  const base = s.dev
    ? `/api/v3/as/applications/${enc(s.app)}/devices/${enc(s.dev)}`
    : `/api/v3/as/applications/${enc(s.app)}`;
  const res = await apiFetch(`${base}/packages/storage/uplink_message?order=-received_at&limit=1`);
  if (!res.ok) throw new Error(`could not read the stored uplinks (HTTP ${res.status})`);
  // Newline-delimited `{result}` objects, as TTS's Storage Integration API streams them.
  const first = (await res.text()).split('\n').find((l) => l.trim());
  const up = first
    ? (JSON.parse(first) as { result?: { uplink_message?: { f_port?: number; frm_payload?: string } } })
        .result?.uplink_message
    : undefined;
  return up ? { fPort: up.f_port ?? 0, frmPayload: up.frm_payload ?? '' } : null;
}

/** GET bodies: `{default_formatters}` for the link, `{formatters}` for a device. */
export const formattersOf = (s: FormatterScope, body: Record<string, unknown>) =>
  ((s.dev ? body.formatters : body.default_formatters) ?? undefined) as MessagePayloadFormatters | undefined;

export const saveBody = (s: FormatterScope, f: MessagePayloadFormatters | null) =>
  s.dev ? { end_device: { formatters: f } } : { default_formatters: f };

export const FORMATTER_LABELS: Record<SupportedFormatter, string> = {
  FORMATTER_NONE: 'None',
  FORMATTER_JAVASCRIPT: 'JavaScript',
  FORMATTER_CAYENNELPP: 'CayenneLPP',
};

export const UPLINK_TEMPLATE = `function decodeUplink(input) {
  // input.bytes: array of numbers 0-255; input.fPort: number
  return {
    data: { bytes: input.bytes },
    warnings: [],
    errors: [],
  };
}
`;

export const DOWNLINK_TEMPLATE = `function encodeDownlink(input) {
  // input.data: the downlink's decoded_payload; input.fPort: number
  return {
    bytes: [],
    fPort: input.fPort,
    warnings: [],
    errors: [],
  };
}

function decodeDownlink(input) {
  return { data: { bytes: input.bytes }, warnings: [], errors: [] };
}
`;
