import { describe, expect, it } from 'vitest';
import { mqttCommands, mqttEndpoints } from './mqttCommands';

const local = { public_address: 'localhost:1883', websocket_path: '/mqtt' };

describe('mqttEndpoints', () => {
  it('names the host the browser reached when the server only knows localhost', () => {
    const e = mqttEndpoints(
      { ...local, public_tls_address: 'localhost:8883' },
      { protocol: 'https:', hostname: 'mote.lan', host: 'mote.lan:3000' },
    );
    expect(e).toEqual({
      host: 'mote.lan',
      port: '1883',
      tls: 'mote.lan:8883',
      websocket: 'wss://mote.lan:3000/mqtt',
    });
  });

  it('keeps a configured public host', () => {
    const e = mqttEndpoints(
      { public_address: 'mqtt.example.com:1883', websocket_path: '/mqtt' },
      { protocol: 'http:', hostname: '10.0.0.2', host: '10.0.0.2:3000' },
    );
    expect(e.host).toBe('mqtt.example.com');
    expect(e.tls).toBeUndefined();
    expect(e.websocket).toBe('ws://10.0.0.2:3000/mqtt');
  });
});

it('subscribe and publish commands use the same host, port, username and key', () => {
  const c = mqttCommands({ host: 'h', port: '1', websocket: '' }, 'app1', 'NNSXS.K');
  expect(c.subscribe).toBe("mosquitto_sub -h h -p 1 -u app1 -P 'NNSXS.K' -t 'v3/app1/devices/+/up' -v");
  expect(c.publish).toContain(
    "mosquitto_pub -h h -p 1 -u app1 -P 'NNSXS.K' -t 'v3/app1/devices/<device ID>/down/push'",
  );
});
