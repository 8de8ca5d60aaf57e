/**
 * Load generator (child process): G emulated packet forwarders (forwarder.ts) sending real
 * LoRaWAN data uplinks from the bench host's ABP devices over UDP to the Mote under test.
 */
import type { AbpDevice } from './abp';
import { type Forwarders, openForwarders } from './forwarder';
import { serve } from './rpc';

export interface GatewayOpenArgs {
  port: number;
  euis: string[];
  devices: AbpDevice[];
}

let forwarders: Forwarders | undefined;
const open = () => {
  if (!forwarders) throw new Error('call open first');
  return forwarders;
};

serve(
  {
    async open(args: GatewayOpenArgs) {
      forwarders = await openForwarders({ host: '127.0.0.1', ...args });
      return { gateways: args.euis.length, devices: args.devices.length };
    },
    prepare: (args: { count: number }) => open().prepare(args.count),
    send: (args: { rate: number; seconds: number }) => open().send(args.rate, args.seconds),
    counts: () => open().counts(),
    reset: () => open().reset(),
    preparedLate: () => open().preparedLate(),
  },
  () => forwarders?.close(),
);
