/**
 * Scenario 2, connection storm: N MQTT connections from several processes at once — with API-key
 * auth on Mote (the product as `npm start` runs it), anonymous on mosquitto — the time until
 * every CONNACK is in, and the server's RSS per idle connection (Mote's after a full GC). Memory is
 * read twice: over the whole storm, and over N/2 more connections opened after it. The first
 * includes what grows once whatever the count (V8's young generation reaches its size during the
 * storm and stays); the second is what each further connection costs.
 */
import { startMosquitto } from './mosquitto';
import { startProduct } from './product';
import { cpuMeter, procStat, sleep, spawnWorker, type Worker } from './rpc';
import type { StormResult } from './storm-client';

export interface StormOptions {
  connections: number;
  processes: number;
}

interface StormTarget {
  pid: number;
  port: number;
  credentials?: { username: string; password: string };
  settledRssMb(): Promise<number>;
}

async function storm(target: StormTarget, opts: StormOptions, clients: Worker[]) {
  try {
    // Also waits for every client process to be up before the clock starts.
    await Promise.all(clients.map((c) => c.call('close')));
    const rssBefore = await target.settledRssMb();
    const per = Math.ceil(opts.connections / opts.processes);
    const cpu = cpuMeter([target.pid, ...clients.map((c) => c.pid)]);
    const t0 = performance.now();
    const results = await Promise.all(
      clients.map((c, i) =>
        c.call<StormResult>('open', {
          port: target.port,
          ...target.credentials,
          count: per,
          prefix: `storm-${i}`,
          inFlight: 128,
        }),
      ),
    );
    const seconds = (performance.now() - t0) / 1000;
    const usage = cpu();
    const connected = results.reduce((n, r) => n + r.connected, 0);
    await sleep(500); // let the last CONNACKs settle before measuring memory
    const rssAfter = await target.settledRssMb();
    const morePer = Math.ceil(opts.connections / 2 / opts.processes);
    const more = await Promise.all(
      clients.map((c, i) =>
        c.call<StormResult>('open', {
          port: target.port,
          ...target.credentials,
          count: morePer,
          prefix: `more-${i}`,
          inFlight: 128,
        }),
      ),
    );
    await sleep(500);
    const rssMore = await target.settledRssMb();
    const moreConnected = more.reduce((n, r) => n + r.connected, 0);
    return {
      connections: connected,
      attempted: per * opts.processes,
      refused: results.reduce((n, r) => n + r.refused, 0),
      failed: results.reduce((n, r) => n + r.failed, 0),
      seconds,
      kb_per_connection_storm: connected > 0 ? ((rssAfter - rssBefore) * 1024) / connected : null,
      kb_per_connection: moreConnected > 0 ? ((rssMore - rssAfter) * 1024) / moreConnected : null,
      more_connections: moreConnected,
      server_rss_mb_before: rssBefore,
      server_rss_mb_after: rssAfter,
      server_rss_mb_after_more: rssMore,
      server_cpu_pct: usage[0],
      clients_cpu_pct: usage.slice(1).reduce((a, b) => a + b, 0),
    };
  } finally {
    await Promise.all(clients.map((c) => c.call('close')));
  }
}

async function stormMote(opts: StormOptions, clients: Worker[]) {
  // Every bench client connects from 127.0.0.1, standing for devices on many addresses: the
  // per-address cap on pending CONNECTs (issue 17) would turn a storm into evictions.
  const product = await startProduct({ MOTE_MQTT_MAX_PENDING_PER_IP: '1000' });
  try {
    return await storm(
      {
        pid: product.pid,
        port: product.mote.mqttPort,
        credentials: { username: product.applicationId, password: product.key },
        settledRssMb: () => product.settledRssMb(),
      },
      opts,
      clients,
    );
  } finally {
    await product.stop();
  }
}

async function stormMosquitto(opts: StormOptions, clients: Worker[]) {
  const broker = await startMosquitto();
  try {
    return await storm(
      { pid: broker.pid, port: broker.port, settledRssMb: async () => procStat(broker.pid).rssMb },
      opts,
      clients,
    );
  } finally {
    await broker.stop();
  }
}

const ratio = (a: number | null, b: number | null) => (a !== null && b !== null && b > 0 ? a / b : null);

export async function runStorm(opts: StormOptions, log: (s: string) => void) {
  log(`storm: ${opts.connections} connections from ${opts.processes} processes`);
  const clients = Array.from({ length: opts.processes }, () => spawnWorker('storm-client.ts'));
  try {
    return await stormBoth(opts, clients, log);
  } finally {
    await Promise.all(clients.map((c) => c.stop()));
  }
}

async function stormBoth(opts: StormOptions, clients: Worker[], log: (s: string) => void) {
  const mote = await stormMote(opts, clients);
  log(
    `  mote: ${mote.connections} connected in ${mote.seconds.toFixed(2)} s, ${mote.kb_per_connection_storm?.toFixed(1)} KB each over the storm, ${mote.kb_per_connection?.toFixed(1)} KB each of ${mote.more_connections} more`,
  );
  const mosquitto = await stormMosquitto(opts, clients);
  log(
    `  mosquitto: ${mosquitto.connections} connected in ${mosquitto.seconds.toFixed(2)} s, ${mosquitto.kb_per_connection_storm?.toFixed(1)} KB each over the storm, ${mosquitto.kb_per_connection?.toFixed(1)} KB each of ${mosquitto.more_connections} more`,
  );
  return {
    ...mote,
    mosquitto_connections: mosquitto.connections,
    mosquitto_seconds: mosquitto.seconds,
    mosquitto_kb_per_connection: mosquitto.kb_per_connection,
    mosquitto_kb_per_connection_storm: mosquitto.kb_per_connection_storm,
    seconds_ratio_vs_mosquitto: ratio(mote.seconds, mosquitto.seconds),
    kb_ratio_vs_mosquitto: ratio(mote.kb_per_connection, mosquitto.kb_per_connection),
    mosquitto,
  };
}
