/**
 * Issue 17's isolation attacks as one repeatable round, for `npm run soak`: a looping decoder in
 * one application while another's uplinks must all be decoded; a read-only key opening more
 * history reads than its share while `/healthz` must answer; another key reusing an MQTT client
 * ID that must stay with its holder. Each round returns what went wrong, as sentences.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { adminSession, appWithKey, type Caller, call } from './api';
import type { RunningMote } from './mote';

const LOOPING = 'function decodeUplink(input) { while (true) {} }';
const GOOD = 'function decodeUplink(input) { return { data: { first: input.bytes[0] } }; }';

export interface IsolationRig {
  round(tag: string): Promise<string[]>;
  close(): Promise<void>;
}

async function withDevice(mote: RunningMote, admin: Caller, app: string, rights: string[], eui: string) {
  const key = await appWithKey(mote, app, rights);
  const r = await call(mote, admin, 'POST', `/api/v3/applications/${app}/devices`, {
    end_device: { ids: { device_id: 'dev1', dev_eui: eui, join_eui: '4200000000000000' } },
  });
  if (r.status !== 200) throw new Error(`isolation rig: device: ${JSON.stringify(r.body)}`);
  return key;
}

export async function isolationRig(mote: RunningMote): Promise<IsolationRig> {
  const admin = await adminSession(mote);
  const hogKey = await withDevice(mote, admin, 'iso-hog', ['RIGHT_APPLICATION_ALL'], '4200000000000A01');
  const fairKey = await withDevice(mote, admin, 'iso-fair', ['RIGHT_APPLICATION_ALL'], '4200000000000A02');
  const readKey = await appWithKey(mote, 'iso-fair', ['RIGHT_APPLICATION_TRAFFIC_READ']);
  const infoKey = await appWithKey(mote, 'iso-fair', ['RIGHT_APPLICATION_INFO']);
  const link = (app: string, script: string) =>
    call(mote, admin, 'PUT', `/api/v3/as/applications/${app}/link`, {
      default_formatters: { up_formatter: 'FORMATTER_JAVASCRIPT', up_formatter_parameter: script },
    });
  await link('iso-fair', GOOD);

  /** The well-behaved application's integration, connected for one round (soak counts connections). */
  async function integration() {
    const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${mote.mqttPort}`, {
      username: 'iso-fair',
      password: fairKey,
      clientId: 'iso-fair-integration',
      reconnectPeriod: 0,
    });
    const decoded = new Map<string, boolean>();
    client.on('message', (_, payload) => {
      const up = JSON.parse(payload.toString()).uplink_message as {
        frm_payload: string;
        decoded_payload?: unknown;
      };
      decoded.set(up.frm_payload, up.decoded_payload !== undefined);
    });
    await client.subscribeAsync('v3/iso-fair/devices/+/up', { qos: 1 });
    const state = { client, decoded, closed: false };
    client.on('close', () => {
      state.closed = true;
    });
    return state;
  }

  const simulate = (app: string, key: string, bytes: number[]) =>
    call(mote, { key }, 'POST', `/api/v3/as/applications/${app}/devices/dev1/up/simulate`, {
      uplink_message: { f_port: 1, frm_payload: Buffer.from(bytes).toString('base64') },
    });
  const read = () =>
    fetch(`${mote.url}/api/v3/as/applications/iso-fair/packages/storage/uplink_message?limit=10000`, {
      headers: { authorization: `Bearer ${readKey}` },
    });

  return {
    async round(tag) {
      const problems: string[] = [];
      const live = await integration();
      const { decoded } = live;
      // Saving resumes the hog's suspended script, so every round attacks afresh.
      await link('iso-hog', LOOPING);
      const sent: string[] = [];
      await Promise.all([
        ...Array.from({ length: 20 }, (_, i) => simulate('iso-hog', hogKey, [i])),
        ...Array.from({ length: 10 }, async (_, i) => {
          const bytes = [i, ...Buffer.from(tag)];
          sent.push(Buffer.from(bytes).toString('base64'));
          await simulate('iso-fair', fairKey, bytes);
        }),
      ]);

      // This history is small: a read may end before the next starts, so 429 is allowed, not required
      // (test/history-abuse.test.ts holds reads open with large payloads to see it).
      const reads = await Promise.all(Array.from({ length: 6 }, read));
      const statuses = reads.map((r) => r.status);
      if (statuses.some((s) => s !== 200 && s !== 429))
        problems.push(`history reads answered ${statuses.join()}`);
      if (!statuses.includes(200)) problems.push('no history read was answered');
      const health = await fetch(`${mote.url}/healthz`, { signal: AbortSignal.timeout(10_000) }).catch(
        () => undefined,
      );
      if (health?.status !== 200) problems.push('/healthz did not answer during history reads');
      await Promise.all(reads.map((r) => r.text()));

      const intruder: MqttClient = mqtt.connect(`mqtt://127.0.0.1:${mote.mqttPort}`, {
        username: 'iso-fair',
        password: infoKey,
        clientId: 'iso-fair-integration',
        reconnectPeriod: 0,
      });
      const connack = await new Promise<number>((resolve) => {
        intruder.on('packetreceive', (p) => p.cmd === 'connack' && resolve(p.returnCode ?? -1));
        intruder.on('error', () => undefined);
      });
      intruder.end(true);
      if (connack !== 0x02) problems.push(`client-ID take-over by another key answered ${connack}`);

      const until = Date.now() + 30_000;
      while (sent.some((s) => !decoded.has(s)) && Date.now() < until)
        await new Promise((r) => setTimeout(r, 100));
      const undecoded = sent.filter((s) => decoded.get(s) !== true).length;
      if (undecoded > 0)
        problems.push(`${undecoded} of 10 well-behaved uplinks not decoded while a decoder looped`);
      if (live.closed) problems.push('the integration holding its client ID was disconnected');
      await live.client.endAsync(true);
      return problems;
    },
    async close() {},
  };
}
