/**
 * How a simulated device's frame reaches the network, and what it hears back in its receive
 * windows. In-process (the default): straight to the network layer, as a gateway frontend hands
 * frames on. Over UDP (udpGateway.ts): through a virtual Semtech packet forwarder and Mote's
 * gateway server, the whole radio path a real gateway takes.
 */
import type { NetworkServer, RadioMetadata } from '../ns/ports';

export interface RadioTransport {
  /** One uplink as the virtual gateways heard it; the downlink frame the device receives, if any. */
  uplink(phyPayload: Uint8Array, radios: readonly RadioMetadata[]): Promise<Uint8Array | undefined>;
}

/** The virtual gateway transmits in the first window offered, never misses, and says so. */
export function inProcess(ns: Pick<NetworkServer, 'handleUplink'>): RadioTransport {
  return {
    async uplink(phyPayload, radios) {
      const tx = await ns.handleUplink(phyPayload, radios);
      const frame = tx?.windows[0];
      if (!tx || !frame) return undefined;
      await tx.settle({ sent: frame.window });
      return frame.phyPayload;
    },
  };
}
