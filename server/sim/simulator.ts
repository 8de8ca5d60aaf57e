import { defineError } from '../../lib/errors';
import type { Clock } from '../clock';
import { type Leases, localLeases } from '../cluster/leases';
import type { Notices } from '../cluster/notices';
import type { Logger } from '../log';
import type { NetworkServer } from '../ns/ports';
import { notFoundDevice } from '../store/errors';
import type { ApplicationStore, DeviceStore } from '../store/ports';
import { type SimDevice, sessionOf, step } from './device';
import { ensureKeys } from './keys';
import type { Random } from './random';
import { loadSimState, type SimState, saveSimState } from './state';
import { inProcess, type RadioTransport } from './transport';

/** A start option out of range; `reason` says what it must be. */
const invalidOption = defineError('pkg/mote', 'invalid_field', 'invalid_argument', '`{field}` {reason}', {
  messageOnly: ['reason'],
});

export interface SimulatorDeps {
  /** Where simulated frames go: the network layer, as a gateway frontend hands them on. */
  ns: Pick<NetworkServer, 'handleUplink'>;
  /** The virtual Semtech UDP gateway (udpGateway.ts), for devices started `via_udp`. */
  udp?: RadioTransport;
  /** `MOTE_SIM_VIA_UDP`: every device goes through `udp`, whatever it was started with. */
  allViaUdp?: boolean;
  devices: DeviceStore;
  applications: ApplicationStore;
  clock: Clock;
  log: Logger;
  random?: Random;
  /**
   * With several instances (server/cluster/leases.ts): a running device turns only on the
   * instance holding its lease, and the others look for devices started elsewhere every
   * `rescanMs`, to take them over should their instance stop.
   */
  leases?: Leases;
  rescanMs?: number;
  /**
   * Devices started, changed or stopped here, told to the other instances (`app/dev`): the one
   * running the device reloads it, so it does not carry on with what it had in memory.
   */
  changes?: Notices;
}

export interface StartOptions {
  intervalMs?: number;
  ackLoss?: number;
  dataRateIndex?: number;
  /** Through the virtual UDP gateway; `false` goes back in-process (unless `allViaUdp`). */
  viaUdp?: boolean;
}

export type SimStatus = Pick<
  SimState,
  'running' | 'interval_ms' | 'ack_loss' | 'data_rate_index' | 'joined' | 'dev_addr' | 'f_cnt' | 'next_at'
> & {
  /** Whether its frames take the UDP path now: its own setting, or `MOTE_SIM_VIA_UDP`. */
  via_udp: boolean;
};

export interface Simulator {
  start(applicationId: string, deviceId: string, options?: StartOptions): Promise<SimStatus>;
  stop(applicationId: string, deviceId: string): Promise<SimStatus>;
  status(applicationId: string, deviceId: string): Promise<SimStatus>;
  /** One turn of one device now (join or uplink), running or not. */
  step(applicationId: string, deviceId: string): Promise<void>;
  /** Every running device whose turn is due; tests call this instead of waiting. */
  tick(): Promise<void>;
  /** Picks up devices that were running before a restart. */
  resume(): Promise<number>;
  /** Ticks on a timer until close(). */
  run(periodMs?: number): void;
  close(): Promise<void>;
}

export function createSimulator(deps: SimulatorDeps): Simulator {
  const random = deps.random ?? Math.random;
  const direct = inProcess(deps.ns);
  const udpFor = (s: SimState) => (deps.udp && (deps.allViaUdp || s.via_udp === true) ? deps.udp : undefined);
  const statusOf = (s: SimState): SimStatus => ({
    running: s.running,
    interval_ms: s.interval_ms,
    ack_loss: s.ack_loss,
    data_rate_index: s.data_rate_index,
    joined: s.joined,
    dev_addr: s.dev_addr,
    f_cnt: s.f_cnt,
    next_at: s.next_at,
    via_udp: udpFor(s) !== undefined,
  });
  const log = deps.log.child({ component: 'sim' });
  const running = new Map<string, SimDevice>();
  const busy = new Set<string>();
  let timer: ReturnType<typeof setInterval> | undefined;
  let rescan: ReturnType<typeof setInterval> | undefined;
  const key = (app: string, dev: string) => `${app}/${dev}`;
  const leases = deps.leases ?? localLeases();
  const leaseOf = (k: string) => `sim:${k}`;
  const track = (k: string, d: SimDevice) => {
    running.set(k, d);
    leases.want(leaseOf(k));
  };
  const untrack = (k: string) => {
    running.delete(k);
    leases.release(leaseOf(k));
  };
  // Started or stopped elsewhere: take what that instance saved.
  deps.changes?.on((k) => {
    const slash = k.indexOf('/');
    const [app, dev] = [k.slice(0, slash), k.slice(slash + 1)];
    void load(app, dev)
      .then((fresh) => (fresh.state.running ? track(k, fresh) : untrack(k)))
      .catch((err) => {
        if (notFoundDevice.is(err)) untrack(k);
        else log.warn({ err, device: dev }, 'simulated device not reloaded after a change elsewhere');
      });
  });
  // Taken over: the last holder saved its state after each turn (FCnt, session); carry on from it.
  // Until that state is in, the device does not turn here (`busy`): a turn from what this instance
  // had in memory (say, not joined yet) would join it again, or send an FCnt twice.
  leases.onAcquired((name) => {
    const d = running.get(name.slice('sim:'.length));
    if (!d) return;
    const k = key(d.applicationId, d.deviceId);
    // Turning here right now: this instance held it a moment ago, and its memory is current.
    if (busy.has(k)) return;
    busy.add(k);
    void load(d.applicationId, d.deviceId)
      .then((fresh) => {
        if (running.get(k) !== d) return;
        if (fresh.state.running) running.set(k, fresh);
        else untrack(k);
      })
      .catch((err) => {
        if (notFoundDevice.is(err)) untrack(k);
        else log.warn({ err, device: d.deviceId }, 'simulated device not reloaded on takeover');
      })
      .finally(() => busy.delete(k));
  });

  /** OTAA needs EUIs and an AppKey: a device created without them gets them (keys.ts). */
  async function load(app: string, dev: string): Promise<SimDevice> {
    const keys = await ensureKeys(deps.devices, app, dev, { random, clock: deps.clock });
    const state = await loadSimState(deps.devices, app, dev);
    const session = sessionOf(keys.appKey, state);
    // Joined before frames were real (no AppNonce kept): joins again.
    if (!session) state.joined = false;
    return { applicationId: app, deviceId: dev, ...keys, state, session };
  }

  async function turn(d: SimDevice) {
    const k = key(d.applicationId, d.deviceId);
    if (busy.has(k)) return;
    busy.add(k);
    try {
      const transport = udpFor(d.state) ?? direct;
      await step({ transport, random, now: deps.clock.now(), log }, d);
      await saveSimState(deps.devices, d.applicationId, d.deviceId, d.state);
    } catch (err) {
      if (notFoundDevice.is(err)) untrack(k);
      else log.warn({ err, device: d.deviceId }, 'simulated device turn failed');
    } finally {
      busy.delete(k);
    }
  }

  const validate = (o: StartOptions) => {
    const bad = (field: string, reason: string) => invalidOption({ field, reason });
    if (o.intervalMs !== undefined && !(o.intervalMs >= 100 && o.intervalMs <= 86_400_000))
      throw bad('interval', 'must be between 100ms and 24h');
    if (o.ackLoss !== undefined && !(o.ackLoss >= 0 && o.ackLoss <= 1))
      throw bad('ack_loss', 'must be between 0 and 1');
    if (
      o.dataRateIndex !== undefined &&
      !(Number.isInteger(o.dataRateIndex) && o.dataRateIndex >= 0 && o.dataRateIndex <= 6)
    ) {
      throw bad('data_rate_index', 'must be an integer from 0 to 6');
    }
    if (o.viaUdp && !deps.udp) throw bad('via_udp', 'needs the virtual UDP gateway, which is not running');
  };

  const sim: Simulator = {
    async start(app, dev, options = {}) {
      validate(options);
      const d = running.get(key(app, dev)) ?? (await load(app, dev));
      d.state = {
        ...d.state,
        running: true,
        interval_ms: options.intervalMs ?? d.state.interval_ms,
        ack_loss: options.ackLoss ?? d.state.ack_loss,
        data_rate_index: options.dataRateIndex ?? d.state.data_rate_index,
        via_udp: options.viaUdp ?? d.state.via_udp,
        next_at: deps.clock.now().toISOString(),
      };
      await saveSimState(deps.devices, app, dev, d.state);
      track(key(app, dev), d);
      deps.changes?.send(key(app, dev));
      return statusOf(d.state);
    },

    async stop(app, dev) {
      const d = running.get(key(app, dev)) ?? (await load(app, dev));
      untrack(key(app, dev));
      d.state = { ...d.state, running: false, next_at: undefined };
      await saveSimState(deps.devices, app, dev, d.state);
      deps.changes?.send(key(app, dev));
      return statusOf(d.state);
    },

    async status(app, dev) {
      const d = running.get(key(app, dev));
      if (d) return statusOf(d.state);
      await deps.devices.get(app, dev);
      return statusOf(await loadSimState(deps.devices, app, dev));
    },

    async step(app, dev) {
      await turn(running.get(key(app, dev)) ?? (await load(app, dev)));
    },

    async tick() {
      const now = deps.clock.now().toISOString();
      const due = [...running.entries()]
        .filter(([k, d]) => (!d.state.next_at || d.state.next_at <= now) && leases.holds(leaseOf(k)))
        .map(([, d]) => d);
      await Promise.all(due.map(turn));
    },

    async resume() {
      const before = running.size;
      for (const app of await deps.applications.list()) {
        for (const dev of await deps.devices.list(app.application_id)) {
          const state = await loadSimState(deps.devices, app.application_id, dev.device_id);
          const k = key(app.application_id, dev.device_id);
          if (state.running && !running.has(k)) track(k, await load(app.application_id, dev.device_id));
        }
      }
      if (running.size > before) log.info({ devices: running.size - before }, 'resumed simulated devices');
      return running.size;
    },

    run(periodMs = 200) {
      if (timer) return;
      timer = setInterval(
        () => void sim.tick().catch((err) => log.error({ err }, 'simulator tick failed')),
        periodMs,
      );
      timer.unref();
      if (deps.rescanMs) {
        rescan = setInterval(
          () => void sim.resume().catch((err) => log.warn({ err }, 'simulator rescan failed')),
          deps.rescanMs,
        );
        rescan.unref();
      }
    },

    async close() {
      if (timer) clearInterval(timer);
      if (rescan) clearInterval(rescan);
      timer = undefined;
      rescan = undefined;
      while (busy.size > 0) await new Promise((r) => setTimeout(r, 10));
      await leases.close();
    },
  };
  return sim;
}
