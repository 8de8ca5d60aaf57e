/**
 * PULL_DATA (PROTOCOL.TXT §5): the forwarder's keepalive, answered with PULL_ACK and the same
 * token. Its source address is where PULL_RESP goes: behind NAT, only that mapping is open. In a
 * cluster the other instances hear that this one holds it (server/gs/cluster.ts).
 */
import type { Remote } from '../connections';
import { identify, type UdpContext } from './context';
import { encodeAck, PacketId } from './packets';

export async function handlePullData(
  ctx: UdpContext,
  packet: { token: number; eui: string },
  from: Remote,
): Promise<void> {
  ctx.send(encodeAck(PacketId.PULL_ACK, packet.token), from);
  if ((await identify(ctx, packet.eui, from)) === null) return;
  ctx.connections.pulled(packet.eui, from);
  ctx.cluster?.pulled(packet.eui, 3 * ctx.keepaliveMs);
}
