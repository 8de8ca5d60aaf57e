import mqtt, { type MqttClient } from 'mqtt';
import { api } from '../apiClient';

/**
 * The console as an MQTT client (docs/adr/0004): MQTT over WebSockets on the same host, with
 * username = application ID and a short-lived console token as password. The token is fetched
 * anew for every (re)connect, so reconnects are driven here rather than by MQTT.js.
 */
export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting' | 'offline';

interface ConsoleToken {
  token: string;
  websocket_path: string;
}

export interface LiveConnectionOptions {
  applicationId: string;
  filter: string;
  onMessage: (topic: string, payload: Uint8Array) => void;
  onStatus: (status: ConnectionStatus) => void;
  /** Called once subscribed; after a reconnect with the time the connection was lost. */
  onSubscribed: (lostAt: number | undefined) => void;
}

const BACKOFF_MS = [500, 1000, 2000, 5000];

export function openLiveConnection(o: LiveConnectionOptions): () => void {
  let client: MqttClient | undefined;
  let stopped = false;
  let attempt = 0;
  let lostAt: number | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const drop = () => {
    const c = client;
    client = undefined;
    if (!c) return;
    c.removeAllListeners();
    c.on('error', () => {});
    c.end(true);
  };

  const retry = () => {
    drop();
    if (stopped || timer !== undefined) return;
    lostAt ??= Date.now();
    const offline = typeof navigator !== 'undefined' && !navigator.onLine;
    o.onStatus(offline ? 'offline' : 'reconnecting');
    timer = setTimeout(connect, BACKOFF_MS[Math.min(attempt++, BACKOFF_MS.length - 1)]);
  };

  async function connect() {
    timer = undefined;
    let token: ConsoleToken;
    try {
      token = await api<ConsoleToken>('/api/auth/console-token', { method: 'POST' });
    } catch {
      retry();
      return;
    }
    if (stopped) return;
    const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
    const c = mqtt.connect(`${scheme}://${window.location.host}${token.websocket_path || '/mqtt'}`, {
      username: o.applicationId,
      password: token.token,
      clientId: `mote-console-${Math.random().toString(36).slice(2, 10)}`,
      protocolVersion: 4,
      clean: true,
      reconnectPeriod: 0,
      connectTimeout: 10_000,
    });
    client = c;
    c.on('connect', () => {
      c.subscribe(o.filter, { qos: 0 }, (err) => {
        if (err) return retry();
        attempt = 0;
        o.onStatus('connected');
        o.onSubscribed(lostAt);
        lostAt = undefined;
      });
    });
    c.on('message', (topic, payload) => o.onMessage(topic, payload));
    c.on('close', retry);
    c.on('error', retry);
  }

  const online = () => {
    if (timer === undefined) return;
    clearTimeout(timer);
    void connect();
  };
  window.addEventListener('online', online);
  o.onStatus('connecting');
  void connect();
  return () => {
    stopped = true;
    clearTimeout(timer);
    window.removeEventListener('online', online);
    drop();
  };
}
