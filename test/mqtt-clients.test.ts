/**
 * Real clients against a real MQTT frontend on free ports: Debian's mosquitto_sub/mosquitto_pub
 * (the seed's commands), python3-paho-mqtt, and MQTT.js over TCP and WebSockets.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { argv, KEYS, runTool, startMqttServer, type TestServer, upMessage, waitFor } from './helpers/mqtt';

let t: TestServer;
beforeAll(async () => {
  t = await startMqttServer({}, { echoQueued: true });
});
afterAll(() => t.close());

const PUSH_BODY = '{"downlinks":[{"f_port":15,"frm_payload":"vu8=","priority":"NORMAL"}]}';

describe('mosquitto clients (SPEC seed commands)', () => {
  it('mosquitto_sub -t # receives up, and mosquitto_pub down/push yields down/queued', async () => {
    const sub = runTool('mosquitto_sub', argv(`-h 127.0.0.1 -p ${t.port} -t # -u app1 -P ${KEYS.app1} -d`));
    try {
      await sub.waitForOutput('received SUBACK');
      t.ports.bus.publish(upMessage('app1', 'dev1', 'up'));
      await sub.waitForOutput("'v3/app1/devices/dev1/up'");

      const pub = runTool(
        'mosquitto_pub',
        argv(
          `-h 127.0.0.1 -p ${t.port} -t v3/app1/devices/dev1/down/push -u app1 -P ${KEYS.app1} -m ${PUSH_BODY} -d`,
        ),
      );
      expect(await pub.exited).toBe(0);
      expect(t.ports.downlinks).toContainEqual({
        applicationId: 'app1',
        deviceId: 'dev1',
        operation: 'push',
        body: PUSH_BODY,
      });
      await sub.waitForOutput("'v3/app1/devices/dev1/down/queued'");
    } finally {
      sub.kill();
    }
  });

  it('mosquitto_sub over MQTT 3.1 with QoS 1', async () => {
    const sub = runTool(
      'mosquitto_sub',
      argv(
        `-h 127.0.0.1 -p ${t.port} -V mqttv31 -q 1 -i mosq31 -t v3/+/devices/+/join -u app1 -P ${KEYS.app1} -d -C 1`,
      ),
    );
    await sub.waitForOutput('received SUBACK');
    t.ports.bus.publish(upMessage('app1', 'dev7', 'join'));
    expect(await sub.exited).toBe(0);
    expect(sub.output()).toMatch(/received PUBLISH \(d0, q1, r0, m\d+, 'v3\/app1\/devices\/dev7\/join'/);
  });

  it('mosquitto_sub with a wrong password is refused (not authorised)', async () => {
    const sub = runTool('mosquitto_sub', argv(`-h 127.0.0.1 -p ${t.port} -t # -u app1 -P NNSXS.WRONG.KEY`));
    expect(await sub.exited).not.toBe(0);
    expect(sub.output().toLowerCase()).toContain('not authori');
  });
});

describe('python3-paho-mqtt', () => {
  const script = join(tmpdir(), `mote-paho-${process.pid}.py`);
  beforeAll(() => {
    writeFileSync(
      script,
      `import sys
import paho.mqtt.client as mqtt
port, key, proto = int(sys.argv[1]), sys.argv[2], sys.argv[3]
c = mqtt.Client(client_id="paho-" + proto, protocol=mqtt.MQTTv31 if proto == "31" else mqtt.MQTTv311)
c.username_pw_set("app1", key)
def on_connect(c, u, flags, rc):
    print("connack", rc, flush=True)
    if rc == 0:
        c.subscribe("v3/+/devices/+/up", qos=1)
    else:
        c.disconnect()
def on_subscribe(c, u, mid, granted):
    print("suback", list(granted), flush=True)
def on_message(c, u, m):
    print("message", m.topic, m.qos, m.payload.decode(), flush=True)
    c.disconnect()
c.on_connect = on_connect
c.on_subscribe = on_subscribe
c.on_message = on_message
c.connect("127.0.0.1", port, 30)
c.loop_forever()
`,
    );
  });

  it.each(['311', '31'])('MQTT %s: connects, subscribes and receives', async (proto) => {
    const paho = runTool('/usr/bin/python3', [script, `${t.port}`, KEYS.app1, proto]);
    await paho.waitForOutput('suback [1]');
    t.ports.bus.publish(upMessage('app1', 'dev1', 'up'));
    expect(await paho.exited).toBe(0);
    expect(paho.output()).toContain('message v3/app1/devices/dev1/up 1 {"end_device_ids"');
  });

  it('is refused with rc 5 for an expired key', async () => {
    const paho = runTool('/usr/bin/python3', [script, `${t.port}`, KEYS.app1Expired, '311']);
    expect(await paho.exited).toBe(0);
    expect(paho.output()).toContain('connack 5');
  });
});

describe('MQTT.js', () => {
  it('over TLS with a self-signed certificate', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mote-tls-'));
    const [key, cert] = [join(dir, 'key.pem'), join(dir, 'cert.pem')];
    const openssl = runTool(
      'openssl',
      argv(`req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost -keyout ${key} -out ${cert}`),
    );
    expect(await openssl.exited).toBe(0);
    const tlsPort = await t.server.listenTls(
      0,
      { cert: readFileSync(cert), key: readFileSync(key) },
      '127.0.0.1',
    );
    const client = await mqtt.connectAsync(`mqtts://127.0.0.1:${tlsPort}`, {
      username: 'app1',
      password: KEYS.app1,
      rejectUnauthorized: false,
      reconnectPeriod: 0,
    });
    const got: string[] = [];
    client.on('message', (topic) => got.push(topic));
    await client.subscribeAsync('#');
    t.ports.bus.publish(upMessage('app1', 'dev1', 'down/nack'));
    await waitFor(() => got.length === 1);
    expect(got).toEqual(['v3/app1/devices/dev1/down/nack']);
    await client.endAsync();
  });

  it('over TCP: subscribe, receive, push a downlink with QoS 1', async () => {
    const client = await mqtt.connectAsync(t.url, {
      username: 'app1',
      password: KEYS.app1,
      reconnectPeriod: 0,
    });
    const got: string[] = [];
    client.on('message', (topic) => got.push(topic));
    await client.subscribeAsync('v3/app1/devices/+/up');
    t.ports.bus.publish(upMessage('app1', 'dev3', 'up'));
    await waitFor(() => got.length === 1);
    expect(got).toEqual(['v3/app1/devices/dev3/up']);
    const before = t.ports.downlinks.length;
    await client.publishAsync('v3/app1/devices/dev3/down/replace', '{"downlinks":[]}', { qos: 1 });
    expect(t.ports.downlinks.slice(before)).toEqual([
      { applicationId: 'app1', deviceId: 'dev3', operation: 'replace', body: '{"downlinks":[]}' },
    ]);
    await client.endAsync();
  });

  describe('over WebSockets at /mqtt on an HTTP server', () => {
    let http: Server;
    let httpPort: number;
    const otherUpgrades: string[] = [];
    beforeAll(async () => {
      http = createServer((_req, res) => res.end('ok'));
      http.on('upgrade', (req, socket, head) => {
        if (t.server.handleUpgrade(req, socket, head)) return;
        // Not ours (Next's HMR would be here): left alone for the next listener.
        otherUpgrades.push(req.url ?? '');
        socket.destroy();
      });
      await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
      const address = http.address();
      httpPort = typeof address === 'object' && address ? address.port : 0;
    });
    afterAll(() => new Promise<void>((resolve) => http.close(() => resolve())));

    it.each([4, 3] as const)('protocol version %i: subscribe and receive', async (protocolVersion) => {
      const client = await mqtt.connectAsync(`ws://127.0.0.1:${httpPort}/mqtt`, {
        username: 'app1',
        password: KEYS.app1,
        protocolVersion,
        protocolId: protocolVersion === 3 ? 'MQIsdp' : 'MQTT',
        reconnectPeriod: 0,
      });
      const got: string[] = [];
      client.on('message', (topic, payload) => got.push(`${topic} ${payload.length}`));
      await client.subscribeAsync('#', { qos: 1 });
      const message = upMessage('app1', 'dev1', 'down/sent');
      t.ports.bus.publish(message);
      await waitFor(() => got.length === 1);
      expect(got).toEqual([`v3/app1/devices/dev1/down/sent ${message.payload.length}`]);
      await client.endAsync();
    });

    it('refuses a bad key over WebSockets with code 5', async () => {
      const err = await mqtt
        .connectAsync(`ws://127.0.0.1:${httpPort}/mqtt`, {
          username: 'app1',
          password: KEYS.app2,
          reconnectPeriod: 0,
        })
        .then(
          () => undefined,
          (e: { code?: number }) => e,
        );
      expect(err?.code).toBe(5);
    });

    it('leaves other upgrade paths alone', async () => {
      const client = mqtt.connect(`ws://127.0.0.1:${httpPort}/_next/hmr`, { reconnectPeriod: 0 });
      client.on('error', () => {});
      await waitFor(() => otherUpgrades.includes('/_next/hmr'));
      client.end(true);
    });
  });
});
