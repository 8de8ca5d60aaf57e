/**
 * A network server wired to the real AS of `openFixture()` and an in-memory device registry,
 * with one OTAA device known to both (app1/dev1), and every drop and frame outcome recorded. `send` hands a frame
 * over and returns the Transmission as a gateway frontend gets it; `exchange` also plays a
 * gateway that transmits in the first window offered and settles it `sent`.
 */
import { randomBytes } from 'node:crypto';
import type { EndDeviceIds } from '../../lib/messages';
import { systemIds } from '../../server/as/correlation';
import { silentLogger } from '../../server/log';
import type { FrameOutcome, RadioMetadata, Transmission, TxRequest } from '../../server/ns/ports';
import { createNetworkServer } from '../../server/ns/server';
import { openFixture, withDevice } from './fixture';
import { memoryRegistry } from './nsRegistry';
import { OtaaDevice, radio } from './otaaDevice';

export interface RecordedDrop {
  ids: EndDeviceIds | undefined;
  name: string;
  details: Record<string, string | number | boolean>;
}

export async function openNs(netId = '000000') {
  const f = await openFixture();
  const ids = await withDevice(f);
  const appKey = randomBytes(16).toString('hex').toUpperCase();
  const registry = memoryRegistry();
  registry.add({ ids, macVersion: '1.0.3', frequencyPlanId: 'EU_863_870', appKey });
  const drops: RecordedDrop[] = [];
  const outcomes: { phyPayload: Uint8Array; outcome: FrameOutcome }[] = [];
  const ns = createNetworkServer({
    registry,
    as: f.as,
    clock: f.clock,
    ids: systemIds,
    log: silentLogger,
    netId,
    onDrop: (i, name, details) => drops.push({ ids: i, name, details }),
    onFrameHandled: (phyPayload, outcome) => outcomes.push({ phyPayload, outcome }),
  });
  const device = new OtaaDevice(appKey);
  const rx = (o?: Partial<RadioMetadata> & { n?: number }) => radio(f.clock.now(), o);
  /** Sends a frame a second after the last one, so gateway dedup never hides it. */
  const send = (
    bytes: Uint8Array,
    r: RadioMetadata | RadioMetadata[] = rx(),
  ): Promise<Transmission | undefined> => {
    f.clock.advance(1000);
    return ns.handleUplink(bytes, Array.isArray(r) ? r : { ...r, receivedAt: f.clock.now() });
  };
  async function exchange(
    bytes: Uint8Array,
    r: RadioMetadata | RadioMetadata[] = rx(),
  ): Promise<TxRequest | undefined> {
    const tx = await send(bytes, r);
    const first = tx?.windows[0];
    if (tx && first) await tx.settle({ sent: first.window });
    return first;
  }
  async function join() {
    const tx = await exchange(device.joinRequest());
    if (!tx) throw new Error('no JoinAccept');
    device.joinAccept(tx.phyPayload);
    return tx;
  }
  return { f, ids, registry, ns, device, drops, outcomes, rx, send, exchange, join, close: () => f.close() };
}

export type NsFixture = Awaited<ReturnType<typeof openNs>>;
