/**
 * Scenario 2, connection storm: N MQTT connections with API-key auth from several processes at
 * once; time until every CONNACK is in, and the server's RSS per idle connection (after GC).
 */
import type { HostInfo } from './host';
import { cpuMeter, profileArgs, sleep, spawnWorker } from './rpc';
import type { StormResult } from './storm-client';

export interface StormOptions {
  connections: number;
  processes: number;
}

export async function runStorm(opts: StormOptions, log: (s: string) => void) {
  log(`storm: ${opts.connections} connections from ${opts.processes} processes`);
  const host = spawnWorker('host.ts', ['--expose-gc', ...profileArgs('storm-mote')]);
  const clients = Array.from({ length: opts.processes }, () => spawnWorker('storm-client.ts'));
  try {
    const info = await host.call<HostInfo>('info');
    await Promise.all(clients.map((c) => c.call('close'))); // all children up before the clock starts
    const rssBefore = await host.call<number>('settledRssMb');
    const per = Math.ceil(opts.connections / opts.processes);
    const cpu = cpuMeter([host.pid, ...clients.map((c) => c.pid)]);
    const t0 = performance.now();
    const results = await Promise.all(
      clients.map((c, i) =>
        c.call<StormResult>('open', {
          port: info.port,
          username: info.applicationId,
          password: info.key,
          count: per,
          prefix: `storm-${i}`,
          inFlight: 128,
        }),
      ),
    );
    const seconds = (performance.now() - t0) / 1000;
    const usage = cpu();
    const connected = results.reduce((n, r) => n + r.connected, 0);
    await sleep(1000);
    const rssAfter = await host.call<number>('settledRssMb');
    const out = {
      connections: connected,
      attempted: per * opts.processes,
      refused: results.reduce((n, r) => n + r.refused, 0),
      failed: results.reduce((n, r) => n + r.failed, 0),
      seconds,
      kb_per_connection: connected > 0 ? ((rssAfter - rssBefore) * 1024) / connected : null,
      server_rss_mb_before: rssBefore,
      server_rss_mb_after: rssAfter,
      server_cpu_pct: usage[0],
      clients_cpu_pct: usage.slice(1).reduce((a, b) => a + b, 0),
    };
    log(`  ${connected} connected in ${seconds.toFixed(2)} s, ${out.kb_per_connection?.toFixed(1)} KB each`);
    return out;
  } finally {
    await Promise.all(clients.map((c) => c.stop()));
    await host.stop();
  }
}
