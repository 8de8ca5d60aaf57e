import { type ApplicationUplink, base64ToBytes, type EndDeviceIds, readUpBody } from '../../lib/messages';
import type { AsCore } from './context';
import { noUplinkMessage, simulatedFPortMissing, simulatedFPortTooLarge } from './errors';
import { loadSession } from './session';
import { handleUplink, type RecordSeen } from './uplink';

/**
 * `POST /as/applications/{app}/devices/{dev}/up/simulate` (docs/behaviour.md §6): the body's uplink is
 * published as the device's, with `simulated: true`. Like TTS it does not reach the network
 * side, so no downlink goes out. Missing radio details are filled in, so that
 * `{"uplink_message":{"f_port":1,"frm_payload":"AQI="}}` is enough (TTS would refuse it).
 */
const DEFAULT_SETTINGS = {
  data_rate: { lora: { bandwidth: 125_000, spreading_factor: 7, coding_rate: '4/5' } },
  frequency: 868_100_000,
};

function readSimulatedUplink(body: unknown): ApplicationUplink {
  const raw = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : undefined;
  const inner = raw?.uplink_message ?? raw?.uplinkMessage;
  if (inner === undefined) {
    throw noUplinkMessage({ field: 'uplink_message' });
  }
  const uplink = readUpBody('uplink_message', inner);
  if (!uplink.f_port && uplink.frm_payload?.length) {
    throw simulatedFPortMissing({ field: 'uplink_message.f_port' });
  }
  if ((uplink.f_port ?? 0) > 255) {
    throw simulatedFPortTooLarge({ field: 'uplink_message.f_port' });
  }
  return uplink;
}

export async function simulateUplink(
  core: AsCore,
  recordSeen: RecordSeen,
  applicationId: string,
  deviceId: string,
  body: unknown,
): Promise<void> {
  const device = await core.devices.get(applicationId, deviceId);
  const uplink = readSimulatedUplink(body);
  const session = await loadSession(core.devices, applicationId, deviceId);
  const now = core.clock.now().toISOString();
  const ids: EndDeviceIds = {
    device_id: deviceId,
    application_ids: { application_id: applicationId },
    dev_eui: device.dev_eui ?? undefined,
    join_eui: device.join_eui ?? undefined,
    dev_addr: device.dev_addr ?? undefined,
  };
  const filled: ApplicationUplink = {
    ...uplink,
    session_key_id:
      uplink.session_key_id ?? (session.session_key_id ? base64ToBytes(session.session_key_id) : undefined),
    rx_metadata: uplink.rx_metadata ?? [
      { gateway_ids: { gateway_id: 'test' }, rssi: -42, channel_rssi: -42, snr: 4.2 },
    ],
    settings: uplink.settings ?? DEFAULT_SETTINGS,
    received_at: uplink.received_at ?? now,
  };
  await handleUplink(core, recordSeen, { ids, uplink: filled, correlationIds: [], simulated: true });
}
