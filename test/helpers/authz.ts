/**
 * The authorization matrix's declared side: which rights each HTTP endpoint requires (docs/behaviour.md §2,
 * §5, §6), what the rights imply, and the route files the API actually serves. Expected results
 * come from these tables, never from what the server answers.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** docs/behaviour.md §2's application rights, written out again so the test does not trust lib/rights.ts. */
export const SPEC_RIGHTS = [
  'RIGHT_APPLICATION_INFO',
  'RIGHT_APPLICATION_SETTINGS_BASIC',
  'RIGHT_APPLICATION_SETTINGS_API_KEYS',
  'RIGHT_APPLICATION_SETTINGS_COLLABORATORS',
  'RIGHT_APPLICATION_SETTINGS_PACKAGES',
  'RIGHT_APPLICATION_DELETE',
  'RIGHT_APPLICATION_DEVICES_READ',
  'RIGHT_APPLICATION_DEVICES_WRITE',
  'RIGHT_APPLICATION_DEVICES_READ_KEYS',
  'RIGHT_APPLICATION_DEVICES_WRITE_KEYS',
  'RIGHT_APPLICATION_TRAFFIC_READ',
  'RIGHT_APPLICATION_TRAFFIC_UP_WRITE',
  'RIGHT_APPLICATION_TRAFFIC_DOWN_WRITE',
  'RIGHT_APPLICATION_LINK',
  'RIGHT_APPLICATION_ALL',
] as const;
export type SpecRight = (typeof SPEC_RIGHTS)[number];

/** docs/behaviour.md §2: `_LINK` = INFO + TRAFFIC_READ + TRAFFIC_DOWN_WRITE; `_ALL` = every application right. */
export function specExpand(granted: readonly SpecRight[]): Set<SpecRight> {
  const out = new Set<SpecRight>();
  for (const r of granted) {
    out.add(r);
    if (r === 'RIGHT_APPLICATION_LINK') {
      out.add('RIGHT_APPLICATION_INFO');
      out.add('RIGHT_APPLICATION_TRAFFIC_READ');
      out.add('RIGHT_APPLICATION_TRAFFIC_DOWN_WRITE');
    }
    if (r === 'RIGHT_APPLICATION_ALL') for (const any of SPEC_RIGHTS) out.add(any);
  }
  return out;
}

/**
 * Who an endpoint admits. `rights` are checked on the application in the path, or with
 * `scope: 'caller'` on the caller's own application (the endpoint has none in its path and
 * answers with the caller's data only). `admin`: the console administrator alone. `any`: any
 * valid credential, answered with what it may see.
 */
export type Need =
  | { kind: 'rights'; rights: SpecRight[]; scope?: 'path' | 'caller' }
  | { kind: 'admin' }
  | { kind: 'any' };

const rights = (...r: SpecRight[]): Need => ({ kind: 'rights', rights: r });

/** Fresh resources a cell gets, so destructive calls never disturb the next cell. */
export type Fresh = 'device' | 'key' | 'application' | 'gateway';

export interface Endpoint {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** With `{app}` `{dev}` `{key}` `{fresh}` placeholders (`{fresh}`: a new device, key or gateway). */
  path: string;
  /** The route file serving it, relative to app/api. */
  route: string;
  need: Need;
  ok: number;
  fresh?: Fresh;
  body?: (n: number) => unknown;
}

/** A registered gateway the matrix has sent a PULL_DATA, so its connection stats exist. */
export const AUTHZ_GATEWAY = { id: 'authz-gtw', eui: 'CC00000000000001' } as const;

const down = { downlinks: [{ f_port: 1, frm_payload: 'AQ==' }] };

/** Every endpoint a credential can reach, with the rights docs/behaviour.md §2/§5/§6 and TTS require. */
export const ENDPOINTS: Endpoint[] = [
  { method: 'GET', path: '/api/v3/applications', route: 'v3/applications', need: { kind: 'any' }, ok: 200 },
  {
    method: 'POST',
    path: '/api/v3/applications',
    route: 'v3/applications',
    need: { kind: 'admin' },
    ok: 200,
    body: (n) => ({ application: { ids: { application_id: `made-${n}` } } }),
  },
  {
    method: 'GET',
    path: '/api/v3/applications/{app}',
    route: 'v3/applications/[app]',
    need: rights('RIGHT_APPLICATION_INFO'),
    ok: 200,
  },
  {
    method: 'PUT',
    path: '/api/v3/applications/{app}',
    route: 'v3/applications/[app]',
    need: rights('RIGHT_APPLICATION_SETTINGS_BASIC'),
    ok: 200,
    body: (n) => ({ application: { description: `changed ${n}` } }),
  },
  {
    method: 'DELETE',
    path: '/api/v3/applications/{app}',
    route: 'v3/applications/[app]',
    need: rights('RIGHT_APPLICATION_DELETE'),
    ok: 200,
    fresh: 'application',
  },
  {
    method: 'GET',
    path: '/api/v3/applications/{app}/devices',
    route: 'v3/applications/[app]/devices',
    need: rights('RIGHT_APPLICATION_DEVICES_READ'),
    ok: 200,
  },
  {
    method: 'POST',
    path: '/api/v3/applications/{app}/devices',
    route: 'v3/applications/[app]/devices',
    need: rights('RIGHT_APPLICATION_DEVICES_WRITE'),
    ok: 200,
    body: (n) => ({ end_device: { ids: { device_id: `new-${n}` } } }),
  },
  {
    method: 'GET',
    path: '/api/v3/applications/{app}/devices/{dev}',
    route: 'v3/applications/[app]/devices/[dev]',
    need: rights('RIGHT_APPLICATION_DEVICES_READ'),
    ok: 200,
  },
  {
    method: 'PUT',
    path: '/api/v3/applications/{app}/devices/{dev}',
    route: 'v3/applications/[app]/devices/[dev]',
    need: rights('RIGHT_APPLICATION_DEVICES_WRITE'),
    ok: 200,
    body: (n) => ({ end_device: { description: `changed ${n}` } }),
  },
  // Devices with keys (issue 12): keys are read with a field mask and READ_KEYS, written with WRITE_KEYS.
  {
    method: 'GET',
    path: '/api/v3/applications/{app}/devices/{dev}?field_mask=root_keys,session.keys',
    route: 'v3/applications/[app]/devices/[dev]',
    need: rights('RIGHT_APPLICATION_DEVICES_READ', 'RIGHT_APPLICATION_DEVICES_READ_KEYS'),
    ok: 200,
  },
  {
    method: 'POST',
    path: '/api/v3/applications/{app}/devices',
    route: 'v3/applications/[app]/devices',
    need: rights('RIGHT_APPLICATION_DEVICES_WRITE', 'RIGHT_APPLICATION_DEVICES_WRITE_KEYS'),
    ok: 200,
    body: (n) => ({
      end_device: {
        ids: { device_id: `keyed-${n}` },
        frequency_plan_id: 'EU_863_870',
        lorawan_version: 'MAC_V1_0_3',
        session: {
          dev_addr: '260B0001',
          keys: { app_s_key: { key: '11'.repeat(16) }, f_nwk_s_int_key: { key: '22'.repeat(16) } },
        },
      },
    }),
  },
  {
    method: 'PUT',
    path: '/api/v3/applications/{app}/devices/{dev}',
    route: 'v3/applications/[app]/devices/[dev]',
    need: rights('RIGHT_APPLICATION_DEVICES_WRITE', 'RIGHT_APPLICATION_DEVICES_WRITE_KEYS'),
    ok: 200,
    body: () => ({ end_device: { root_keys: { app_key: { key: '33'.repeat(16) } } } }),
  },
  {
    method: 'DELETE',
    path: '/api/v3/applications/{app}/devices/{fresh}',
    route: 'v3/applications/[app]/devices/[dev]',
    need: rights('RIGHT_APPLICATION_DEVICES_WRITE'),
    ok: 200,
    fresh: 'device',
  },
  {
    method: 'GET',
    path: '/api/v3/applications/{app}/api-keys',
    route: 'v3/applications/[app]/api-keys',
    need: rights('RIGHT_APPLICATION_SETTINGS_API_KEYS'),
    ok: 200,
  },
  {
    // Granting SETTINGS_API_KEYS needs SETTINGS_API_KEYS; granting more is tested apart.
    method: 'POST',
    path: '/api/v3/applications/{app}/api-keys',
    route: 'v3/applications/[app]/api-keys',
    need: rights('RIGHT_APPLICATION_SETTINGS_API_KEYS'),
    ok: 200,
    body: (n) => ({ name: `made ${n}`, rights: ['RIGHT_APPLICATION_SETTINGS_API_KEYS'] }),
  },
  {
    method: 'GET',
    path: '/api/v3/applications/{app}/api-keys/{key}',
    route: 'v3/applications/[app]/api-keys/[id]',
    need: rights('RIGHT_APPLICATION_SETTINGS_API_KEYS'),
    ok: 200,
  },
  {
    method: 'PUT',
    path: '/api/v3/applications/{app}/api-keys/{key}',
    route: 'v3/applications/[app]/api-keys/[id]',
    need: rights('RIGHT_APPLICATION_SETTINGS_API_KEYS'),
    ok: 200,
    body: (n) => ({ api_key: { name: `renamed ${n}` } }),
  },
  {
    method: 'DELETE',
    path: '/api/v3/applications/{app}/api-keys/{fresh}',
    route: 'v3/applications/[app]/api-keys/[id]',
    // Deleting a key also needs every right it has (issue 17 item 10); the fresh key has INFO.
    need: rights('RIGHT_APPLICATION_SETTINGS_API_KEYS', 'RIGHT_APPLICATION_INFO'),
    ok: 200,
    fresh: 'key',
  },
  {
    method: 'POST',
    path: '/api/v3/as/applications/{app}/devices/{dev}/up/simulate',
    route: 'v3/as/applications/[app]/devices/[dev]/up/simulate',
    need: rights('RIGHT_APPLICATION_TRAFFIC_UP_WRITE'),
    ok: 200,
    body: () => ({ uplink_message: { f_port: 1, frm_payload: 'AQ==' } }),
  },
  {
    method: 'POST',
    path: '/api/v3/as/applications/{app}/devices/{dev}/down/push',
    route: 'v3/as/applications/[app]/devices/[dev]/down/push',
    need: rights('RIGHT_APPLICATION_TRAFFIC_DOWN_WRITE'),
    ok: 200,
    body: () => down,
  },
  {
    method: 'POST',
    path: '/api/v3/as/applications/{app}/devices/{dev}/down/replace',
    route: 'v3/as/applications/[app]/devices/[dev]/down/replace',
    need: rights('RIGHT_APPLICATION_TRAFFIC_DOWN_WRITE'),
    ok: 200,
    body: () => down,
  },
  {
    method: 'GET',
    path: '/api/v3/as/applications/{app}/devices/{dev}/down',
    route: 'v3/as/applications/[app]/devices/[dev]/down',
    need: rights('RIGHT_APPLICATION_TRAFFIC_READ'),
    ok: 200,
  },
  {
    method: 'DELETE',
    path: '/api/v3/as/applications/{app}/devices/{dev}/down',
    route: 'v3/as/applications/[app]/devices/[dev]/down',
    need: rights('RIGHT_APPLICATION_TRAFFIC_DOWN_WRITE'),
    ok: 200,
  },
  {
    method: 'GET',
    path: '/api/v3/as/applications/{app}/link',
    route: 'v3/as/applications/[app]/link',
    need: rights('RIGHT_APPLICATION_INFO'),
    ok: 200,
  },
  {
    method: 'PUT',
    path: '/api/v3/as/applications/{app}/link',
    route: 'v3/as/applications/[app]/link',
    need: rights('RIGHT_APPLICATION_SETTINGS_BASIC'),
    ok: 200,
    body: () => ({ default_formatters: { up_formatter: 'FORMATTER_CAYENNELPP' } }),
  },
  {
    method: 'GET',
    path: '/api/v3/as/applications/{app}/devices/{dev}',
    route: 'v3/as/applications/[app]/devices/[dev]',
    need: rights('RIGHT_APPLICATION_DEVICES_READ'),
    ok: 200,
  },
  {
    method: 'PUT',
    path: '/api/v3/as/applications/{app}/devices/{dev}',
    route: 'v3/as/applications/[app]/devices/[dev]',
    need: rights('RIGHT_APPLICATION_DEVICES_WRITE'),
    ok: 200,
    body: () => ({ end_device: { formatters: { up_formatter: 'FORMATTER_CAYENNELPP' } } }),
  },
  {
    method: 'GET',
    path: '/api/v3/as/applications/{app}/formatters/status',
    route: 'v3/as/applications/[app]/formatters/status',
    need: rights('RIGHT_APPLICATION_INFO'),
    ok: 200,
  },
  {
    method: 'POST',
    path: '/api/v3/as/applications/{app}/formatters/test',
    route: 'v3/as/applications/[app]/formatters/test',
    need: rights('RIGHT_APPLICATION_SETTINGS_BASIC'),
    ok: 200,
    body: () => ({
      formatters: { up_formatter: 'FORMATTER_CAYENNELPP' },
      uplink: { f_port: 1, frm_payload: 'AWcBEA==' },
    }),
  },
  {
    method: 'GET',
    path: '/api/v3/as/applications/{app}/mqtt-connection-info',
    route: 'v3/as/applications/[app]/mqtt-connection-info',
    need: rights('RIGHT_APPLICATION_INFO'),
    ok: 200,
  },
  {
    method: 'GET',
    path: '/api/v3/as/applications/{app}/newest-uplinks?device_ids={dev}',
    route: 'v3/as/applications/[app]/newest-uplinks',
    need: rights('RIGHT_APPLICATION_TRAFFIC_READ'),
    ok: 200,
  },
  {
    method: 'GET',
    path: '/api/v3/as/applications/{app}/packages/storage/uplink_message',
    route: 'v3/as/applications/[app]/packages/storage/[type]',
    need: rights('RIGHT_APPLICATION_TRAFFIC_READ'),
    ok: 200,
  },
  {
    method: 'GET',
    path: '/api/v3/as/applications/{app}/devices/{dev}/packages/storage/uplink_message',
    route: 'v3/as/applications/[app]/devices/[dev]/packages/storage/[type]',
    need: rights('RIGHT_APPLICATION_TRAFFIC_READ'),
    ok: 200,
  },
  {
    method: 'GET',
    path: '/api/v3/as/applications/{app}/packages/storage/uplink_message/count',
    route: 'v3/as/applications/[app]/packages/storage/[type]/count',
    need: rights('RIGHT_APPLICATION_TRAFFIC_READ'),
    ok: 200,
  },
  {
    method: 'GET',
    path: '/api/v3/as/applications/{app}/devices/{dev}/packages/storage/uplink_message/count',
    route: 'v3/as/applications/[app]/devices/[dev]/packages/storage/[type]/count',
    need: rights('RIGHT_APPLICATION_TRAFFIC_READ'),
    ok: 200,
  },
  {
    method: 'GET',
    path: '/api/v3/events/related?correlation_id=authz:seed',
    route: 'v3/events/related',
    need: { kind: 'rights', rights: ['RIGHT_APPLICATION_TRAFFIC_READ'], scope: 'caller' },
    ok: 200,
  },
  // Naming the application (the console does, inside one) checks the rights on it.
  {
    method: 'GET',
    path: '/api/v3/events/related?correlation_id=authz:seed&application_id={app}',
    route: 'v3/events/related',
    need: rights('RIGHT_APPLICATION_TRAFFIC_READ'),
    ok: 200,
  },
  {
    method: 'GET',
    path: '/api/v3/sim/applications/{app}/devices/{dev}',
    route: 'v3/sim/applications/[app]/devices/[dev]',
    need: rights('RIGHT_APPLICATION_TRAFFIC_READ'),
    ok: 200,
  },
  {
    method: 'POST',
    path: '/api/v3/sim/applications/{app}/devices/{fresh}/start',
    route: 'v3/sim/applications/[app]/devices/[dev]/start',
    need: rights('RIGHT_APPLICATION_TRAFFIC_UP_WRITE'),
    ok: 200,
    fresh: 'device',
    body: () => ({ interval: '1h' }),
  },
  {
    method: 'POST',
    path: '/api/v3/sim/applications/{app}/devices/{fresh}/stop',
    route: 'v3/sim/applications/[app]/devices/[dev]/stop',
    need: rights('RIGHT_APPLICATION_TRAFFIC_UP_WRITE'),
    ok: 200,
    fresh: 'device',
  },
  // Gateways are the operator's: the console administrator alone (docs/behaviour.md §6.7).
  { method: 'GET', path: '/api/v3/gateways', route: 'v3/gateways', need: { kind: 'admin' }, ok: 200 },
  {
    method: 'POST',
    path: '/api/v3/gateways',
    route: 'v3/gateways',
    need: { kind: 'admin' },
    ok: 200,
    body: (n) => ({
      gateway: {
        ids: { gateway_id: `made-gtw-${n}`, eui: `AA${n.toString(16).padStart(14, '0')}` },
        frequency_plan_id: 'EU_863_870',
      },
    }),
  },
  {
    method: 'GET',
    path: '/api/v3/gateways/{fresh}',
    route: 'v3/gateways/[gtw]',
    need: { kind: 'admin' },
    ok: 200,
    fresh: 'gateway',
  },
  {
    method: 'PUT',
    path: '/api/v3/gateways/{fresh}',
    route: 'v3/gateways/[gtw]',
    need: { kind: 'admin' },
    ok: 200,
    fresh: 'gateway',
    body: (n) => ({ gateway: { name: `changed ${n}` } }),
  },
  {
    method: 'DELETE',
    path: '/api/v3/gateways/{fresh}',
    route: 'v3/gateways/[gtw]',
    need: { kind: 'admin' },
    ok: 200,
    fresh: 'gateway',
  },
  // The gateway server's view of them (issue 13): `AUTHZ_GATEWAY` has sent a PULL_DATA.
  {
    method: 'GET',
    path: `/api/v3/gs/gateways/${AUTHZ_GATEWAY.id}/connection/stats`,
    route: 'v3/gs/gateways/[gtw]/connection/stats',
    need: { kind: 'admin' },
    ok: 200,
  },
  {
    method: 'GET',
    path: `/api/v3/gs/gateways/${AUTHZ_GATEWAY.id}/traffic?after=0`,
    route: 'v3/gs/gateways/[gtw]/traffic',
    need: { kind: 'admin' },
    ok: 200,
  },
  {
    method: 'GET',
    path: '/api/v3/gs/unregistered',
    route: 'v3/gs/unregistered',
    need: { kind: 'admin' },
    ok: 200,
  },
  {
    method: 'POST',
    path: '/api/auth/console-token',
    route: 'auth/console-token',
    need: { kind: 'admin' },
    ok: 200,
  },
];

/** Routes no credential guards, covered elsewhere (login throttling, CSRF, logout). */
export const UNGUARDED = [
  { method: 'POST', route: 'auth/login', why: 'takes the admin password; brute-force.test.ts' },
  { method: 'POST', route: 'auth/logout', why: 'ends the caller’s own session; web-security.test.ts' },
  ...(['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const).map((method) => ({
    method,
    route: 'v3/[...unknown]',
    why: 'no route: a JSON 404 to anyone, reading and changing nothing; tts-fidelity.test.ts',
  })),
];

/** `METHOD route` for every handler exported by a route file under app/api. */
export function servedRoutes(root: string): string[] {
  const apiDir = join(root, 'app', 'api');
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name === 'route.ts') {
        const route = relative(apiDir, dir).split(sep).join('/');
        const text = readFileSync(path, 'utf8');
        for (const m of text.matchAll(/export (?:const|async function) (GET|POST|PUT|PATCH|DELETE)\b/g)) {
          out.push(`${m[1]} ${route}`);
        }
      }
    }
  };
  walk(apiDir);
  return out.sort();
}
