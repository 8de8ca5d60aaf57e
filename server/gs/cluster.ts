/**
 * What the gateway server shares with the other instances of a cluster (docs/scale-out.md): one
 * merge window per frame wherever its copies land, and which instance holds each gateway's
 * PULL_DATA address, so a downlink goes out through whichever instance can reach the gateway.
 * Implemented over Redis by server/cluster/gateways.ts; without it, the gateway server is alone
 * and merges, and transmits, what reaches it.
 */
import type { RadioMetadata } from '../ns/ports';
import type { GatewayConnection, GatewayView } from './ports';
import type { Txpk } from './udp/txpk';

/** Merge windows across instances: the first instance to claim a frame merges every copy of it. */
export interface SharedWindows {
  /**
   * The first copy of a frame heard here. True: this instance claimed the frame and merges it;
   * false: another had, and the copy went to it. Rejects when the cluster cannot be reached: the
   * frame is then merged here with the copies heard here.
   */
  claim(key: string, radio: RadioMetadata, ttlMs: number): Promise<boolean>;
  /** A further copy of a frame another instance merges. */
  handOver(key: string, radio: RadioMetadata, ttlMs: number): void;
  /** At the window's end: the copies other instances handed over. */
  collect(key: string): Promise<RadioMetadata[]>;
}

/** A PULL_RESP another instance asks this one to send, through a gateway pulling here. */
export interface RelayedTx {
  eui: string;
  txpk: Txpk;
  window: 'rx1' | 'rx2';
}

/** The gateway's TX_ACK error (`NONE`, `TOO_LATE`, …), `TIMEOUT` (no TX_ACK) or `NO_PATH`. */
export type RelayResult = string;

export interface GatewayCluster {
  windows: SharedWindows;
  /** A PULL_DATA from `eui` reached this instance: it holds the gateway's address for `ttlMs`. */
  pulled(eui: string, ttlMs: number): void;
  /** The other instance that holds `eui`'s latest PULL_DATA address, if one does. */
  pullHolder(eui: string): Promise<string | undefined>;
  /** Asks `holder` to transmit; resolves with the gateway's answer as it reports it. */
  relay(holder: string, tx: RelayedTx, timeoutMs: number): Promise<RelayResult>;
  /** Transmissions other instances relay to this one. */
  onRelay(handler: (tx: RelayedTx) => Promise<RelayResult>): void;
  /**
   * Asks `holder` what it knows of `eui` (its connection and traffic after `afterSeq`), for the
   * console on another instance; undefined when no answer came within `timeoutMs`.
   */
  view(
    holder: string,
    eui: string,
    afterSeq: number | undefined,
    timeoutMs: number,
  ): Promise<GatewayView | undefined>;
  /** What this instance answers when another asks for a gateway's view. */
  onView(handler: (eui: string, afterSeq: number | undefined) => GatewayView): void;
  /** Unregistered gateways this instance heard lately, for every instance's list of them. */
  shareUnregistered(heard: readonly GatewayConnection[]): Promise<void>;
  /** The unregistered gateways every instance shared, newest first. */
  unregistered(): Promise<GatewayConnection[]>;
  close(): Promise<void>;
}

/**
 * `promise`, or a rejection after `ms`: ioredis has no command timeout, and a Redis that hangs
 * (rather than refusing) must not hold uplinks back; they are then handled as if alone.
 */
export function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`cluster state: no answer in ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}
