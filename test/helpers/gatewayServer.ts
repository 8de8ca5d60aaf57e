/**
 * The gateway server on a free UDP port, at its boundary: an in-test registry (a Map behind
 * `findByEui`) and an in-test network layer that records each call, reports the verdict the test
 * sets and answers with whatever Transmission the test builds.
 */
import {
  createGatewayServer,
  type GatewayServerOptions,
  type RunningGatewayServer,
} from '../../server/gs/server';
import { silentLogger } from '../../server/log';
import type { FrameOutcome, RadioMetadata, Transmission, TxOutcome, TxRequest } from '../../server/ns/ports';
import type { Gateway } from '../../server/store/ports';
import { UdpGateway } from './udpGateway';

export interface UplinkCall {
  phyPayload: Buffer;
  radios: readonly RadioMetadata[];
}

export interface Harness {
  gs: RunningGatewayServer;
  calls: UplinkCall[];
  registry: Map<string, Gateway>;
  /** What the network layer answers; undefined: nothing to transmit. */
  respond: (call: UplinkCall) => Transmission | undefined;
  /** What the network layer reports of a frame (its `onFrameHandled`); undefined: nothing. */
  verdict: (call: UplinkCall) => FrameOutcome | undefined;
  gateway(eui: string, register?: boolean): Promise<UdpGateway>;
  waitCalls(n: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export const registered = (eui: string, gatewayId = `gw-${eui.slice(-4).toLowerCase()}`): Gateway => ({
  gateway_id: gatewayId,
  eui,
  frequency_plan_id: 'EU_863_870',
  created_at: '2026-12-01T00:00:00Z',
  updated_at: '2026-12-01T00:00:00Z',
});

export async function startGatewayServer(options: Partial<GatewayServerOptions> = {}): Promise<Harness> {
  const registry = new Map<string, Gateway>();
  const calls: UplinkCall[] = [];
  const gateways: UdpGateway[] = [];
  const harness: Harness = {
    gs: createGatewayServer({
      ns: {
        handleUplink: async (phy, radios) => {
          const call = { phyPayload: Buffer.from(phy), radios };
          calls.push(call);
          const outcome = harness.verdict(call);
          if (outcome) harness.gs.frameHandled(phy, outcome);
          return harness.respond(call);
        },
      },
      gateways: { findByEui: async (eui) => registry.get(eui) },
      clock: { now: () => new Date() },
      log: silentLogger,
      options: { host: '127.0.0.1', port: 0, ...options },
    }),
    calls,
    registry,
    respond: () => undefined,
    verdict: () => undefined,
    async gateway(eui, register = true) {
      if (register) registry.set(eui, registered(eui));
      const { port } = harness.gs.address();
      const gw = await UdpGateway.start(eui, { host: '127.0.0.1', port });
      gateways.push(gw);
      return gw;
    },
    waitCalls: (n, timeoutMs = 2000) => until(() => calls.length >= n, timeoutMs, `${n} handleUplink calls`),
    async close() {
      await Promise.all(gateways.map((g) => g.close()));
      await harness.gs.close();
    },
  };
  await harness.gs.listen();
  return harness;
}

export async function until(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A Transmission to the gateway that heard `radio`, RX1 then (when asked) RX2, recording its outcomes. */
export function transmission(
  radio: RadioMetadata,
  phyPayload: Uint8Array,
  windows: readonly ('rx1' | 'rx2')[] = ['rx1', 'rx2'],
): Transmission & { outcomes: TxOutcome[] } {
  const outcomes: TxOutcome[] = [];
  const request = (window: 'rx1' | 'rx2'): TxRequest =>
    window === 'rx1'
      ? {
          phyPayload,
          window,
          delay: 1,
          frequency: radio.frequency,
          dataRateIndex: 5,
          modulation: { spreadingFactor: 7, bandwidth: 125_000 },
          codingRate: '4/5',
          power: 14,
          gateway: radio.gatewayIds,
          timestamp: (radio.timestamp + 1_000_000) >>> 0,
        }
      : {
          phyPayload,
          window,
          delay: 2,
          frequency: 869_525_000,
          dataRateIndex: 0,
          modulation: { spreadingFactor: 12, bandwidth: 125_000 },
          codingRate: '4/5',
          power: 27,
          gateway: radio.gatewayIds,
          timestamp: (radio.timestamp + 2_000_000) >>> 0,
        };
  return {
    windows: windows.map(request),
    outcomes,
    settle: async (outcome) => {
      outcomes.push(outcome);
    },
  };
}
