/**
 * How the bench puts uplinks into Mote without HTTP in the way: from a timer loop inside the Mote
 * process, through the AS core's network entry point `handleUplink` — what the simulator (and
 * later a network server) calls. Nothing here opens a port or skips authentication: it is code
 * the bench host runs in-process, as the simulator does.
 */
import { type EndDeviceIds, readUpBody } from '../../lib/messages';
import type { ApplicationServer } from '../../server/as/ports';
import type { Logger } from '../../server/log';
import { seedUplink, stampBytes } from './payload';

export type Inject = (count: number, firstSeq: number, nowUs: () => number) => void;

/** Sends `count` seed-shaped uplinks round-robin over the devices, each stamped with its send time. */
export function uplinkInjector(
  as: ApplicationServer,
  applicationId: string,
  deviceIds: string[],
  log: Logger,
): Inject {
  const [first] = deviceIds;
  if (first === undefined) throw new Error('uplinkInjector needs at least one device');
  const seed = seedUplink(applicationId, first);
  const base = readUpBody('uplink_message', seed.uplink_message);
  const upstream = (seed.correlation_ids as string[]).filter((id) => !id.startsWith('as:'));
  const ids: EndDeviceIds[] = deviceIds.map((device_id) => ({
    device_id,
    application_ids: { application_id: applicationId },
    dev_eui: '4200000000000000',
    join_eui: '4200000000000000',
    dev_addr: '01DA1F15',
  }));
  const failed = (err: unknown) => log.error({ err }, 'bench uplink failed');
  return (count, firstSeq, nowUs) => {
    for (let i = 0; i < count; i++) {
      const seq = firstSeq + i;
      const frm_payload = new Uint8Array(stampBytes(nowUs(), seq));
      // `ids` is as long as `deviceIds`, checked non-empty above; no check per uplink.
      as.handleUplink(ids[seq % ids.length]!, { ...base, f_cnt: seq, frm_payload }, upstream).catch(failed);
    }
  };
}
