/**
 * PUSH_DATA (PROTOCOL.TXT §3): acknowledged at once with the same token, whoever sent it; then
 * its `stat` updates the gateway's status and each `rxpk` of a registered gateway goes to the
 * merge window. A stranger's uplinks are dropped (TTS answers the same way: the forwarder must not
 * back off, its owner must see it in the console to register it).
 */
import { isLoRa } from '../../../lib/bands';
import type { Location } from '../../../lib/messages';
import type { Remote } from '../connections';
import { summarize } from '../summary';
import { downlinkPath, identify, type UdpContext } from './context';
import { encodeAck, PacketId, type PushDataBody } from './packets';
import { fromRxpk } from './rxpk';

export async function handlePushData(
  ctx: UdpContext,
  packet: { token: number; eui: string; body: PushDataBody },
  from: Remote,
): Promise<void> {
  ctx.send(encodeAck(PacketId.PUSH_ACK, packet.token), from);
  const { eui, body } = packet;
  const gateway = await identify(ctx, eui, from);
  if (gateway === null) return;
  if (body.stat) {
    ctx.connections.status(eui, body.stat);
    ctx.connections.record(eui, { kind: 'status' });
  }
  const location = locationOf(gateway?.location, ctx.connections.location(eui));
  const canTransmit = body.rxpk.length > 0 && gateway ? await downlinkPath(ctx, eui) : false;
  for (const rxpk of body.rxpk) {
    ctx.stats.received++;
    const result = fromRxpk(rxpk, {
      gatewayIds: { gateway_id: gateway?.gateway_id ?? '', eui },
      receivedAt: ctx.clock.now(),
      downlinkPath: canTransmit,
      ...(location ? { location } : {}),
    });
    if (!result.ok) {
      ctx.stats.malformed++;
      ctx.log.debug({ eui, reason: result.reason }, 'invalid rxpk dropped');
      continue;
    }
    ctx.connections.count(eui, 'uplinks');
    if (result.crcFailed) {
      ctx.stats.crcFailed++;
      ctx.connections.count(eui, 'uplinksCrcFailed');
      ctx.connections.record(eui, { kind: 'up', dropped: 'crc_failed' });
      continue;
    }
    const { radio, phyPayload } = result;
    const event = {
      kind: 'up' as const,
      ...summarize(phyPayload),
      rssi: radio.rssi,
      snr: radio.snr,
      frequency: radio.frequency,
      dataRate: isLoRa(radio.modulation)
        ? `SF${radio.modulation.spreadingFactor}BW${radio.modulation.bandwidth / 1000}`
        : `FSK${radio.modulation.bitRate}`,
    };
    if (!gateway) {
      ctx.stats.unregistered++;
      ctx.connections.record(eui, { ...event, dropped: 'gateway_not_registered' });
      continue;
    }
    ctx.stats.forwarded++;
    ctx.merger.add(phyPayload, radio, { eui, time: radio.receivedAt.toISOString(), event });
  }
}

/** The registry's position first (set by the owner); else the gateway's own GPS, from `stat`. */
function locationOf(
  registered: { latitude: number; longitude: number; altitude?: number } | undefined,
  reported: { latitude: number; longitude: number; altitude?: number } | undefined,
): Location | undefined {
  if (registered) return { ...registered, source: 'SOURCE_REGISTRY' };
  if (reported) return { ...reported, source: 'SOURCE_GPS' };
  return undefined;
}
