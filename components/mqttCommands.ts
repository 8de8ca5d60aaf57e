/**
 * What the MQTT card shows, from the server's addresses and the browser's location. The server
 * says `localhost` unless MOTE_PUBLIC_HOST is set, which is right only on the server's own
 * machine: a browser that reached the console by another name is told that name, so the TCP,
 * TLS and WebSocket rows all name the host the user can actually reach.
 */
export interface MqttEndpoints {
  host: string;
  port: string;
  tls?: string;
  websocket: string;
}

export function mqttEndpoints(
  address: { public_address: string; public_tls_address?: string; websocket_path: string },
  location?: { protocol: string; hostname: string; host: string },
): MqttEndpoints {
  const serverHost = address.public_address.replace(/:\d+$/, '');
  const port = address.public_address.match(/:(\d+)$/)?.[1] ?? '1883';
  const host = serverHost === 'localhost' && location ? location.hostname : serverHost;
  const tlsPort = address.public_tls_address?.match(/:(\d+)$/)?.[1];
  const wsScheme = location?.protocol === 'https:' ? 'wss' : 'ws';
  return {
    host,
    port,
    tls: tlsPort ? `${host}:${tlsPort}` : undefined,
    websocket: location ? `${wsScheme}://${location.host}${address.websocket_path}` : address.websocket_path,
  };
}

/** mosquitto_sub/mosquitto_pub lines as TTS's MQTT guide writes them. */
export function mqttCommands(e: MqttEndpoints, app: string, key: string) {
  const auth = `-h ${e.host} -p ${e.port} -u ${app} -P '${key}'`;
  return {
    subscribe: `mosquitto_sub ${auth} -t 'v3/${app}/devices/+/up' -v`,
    publish: `mosquitto_pub ${auth} -t 'v3/${app}/devices/<device ID>/down/push' -m '{"downlinks":[{"f_port":15,"frm_payload":"vu8=","priority":"NORMAL"}]}'`,
  };
}
