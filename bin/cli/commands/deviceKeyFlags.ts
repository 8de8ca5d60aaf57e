/**
 * ttn-lw-cli's end-device flags for LoRaWAN settings and keys (issue 12). Commander keeps the
 * dots of `--root-keys.app-key.key` in the option's name (`rootKeys.appKey.key`). Values go to
 * the API as given: the server validates them and names the field that is wrong.
 */
import type { Command } from 'commander';
import { CliError } from '../client';

export interface KeyFlags {
  frequencyPlanId?: string;
  lorawanVersion?: string;
  lorawanPhyVersion?: string;
  supportsJoin?: boolean;
  abp?: boolean;
  'rootKeys.appKey.key'?: string;
  'session.devAddr'?: string;
  'session.keys.appSKey.key'?: string;
  'session.keys.fNwkSIntKey.key'?: string;
}

export const keyOptions = (c: Command) =>
  c
    .option('--frequency-plan-id <id>', 'frequency plan: EU_863_870, US_902_928_FSB_2')
    .option('--lorawan-version <version>', 'MAC version: 1.0.2, 1.0.3, 1.0.4 (or MAC_V1_0_3)')
    .option('--lorawan-phy-version <version>', 'regional parameters: 1.0.3-a, … (or PHY_V1_0_3_REV_A)')
    .option('--supports-join', 'OTAA device (the default with --root-keys.app-key.key)')
    .option('--abp', 'ABP device: give --session.dev-addr and the session keys')
    .option('--root-keys.app-key.key <hex>', 'OTAA AppKey (16 bytes hex)')
    .option('--session.dev-addr <hex>', 'ABP DevAddr (4 bytes hex)')
    .option('--session.keys.app-s-key.key <hex>', 'ABP AppSKey (16 bytes hex)')
    .option('--session.keys.f-nwk-s-int-key.key <hex>', 'ABP NwkSKey (16 bytes hex; LoRaWAN 1.0.x)');

/** The `end_device` fields the flags set; undefined ones are left out of the JSON. */
export function keyFields(o: KeyFlags): Record<string, unknown> {
  const appKey = o['rootKeys.appKey.key'];
  const sessionFlags = [
    o['session.devAddr'],
    o['session.keys.appSKey.key'],
    o['session.keys.fNwkSIntKey.key'],
  ];
  if (o.abp && o.supportsJoin) throw new CliError('error: --abp and --supports-join exclude each other', 2);
  if (o.abp && appKey !== undefined)
    throw new CliError(
      'error: --abp and --root-keys.app-key.key exclude each other (ABP has no root keys)',
      2,
    );
  const withSession = o.abp || sessionFlags.some((f) => f !== undefined);
  return {
    frequency_plan_id: o.frequencyPlanId,
    lorawan_version: o.lorawanVersion,
    lorawan_phy_version: o.lorawanPhyVersion,
    supports_join: o.abp ? false : o.supportsJoin ? true : undefined,
    root_keys: appKey === undefined ? undefined : { app_key: { key: appKey } },
    // Sent whole even when a flag is missing, so the server's error names the missing field.
    session: withSession
      ? {
          dev_addr: o['session.devAddr'],
          keys: {
            app_s_key: { key: o['session.keys.appSKey.key'] },
            f_nwk_s_int_key: { key: o['session.keys.fNwkSIntKey.key'] },
          },
        }
      : undefined,
  };
}

/** `get --root-keys --session`: the field mask that asks for keys (needs READ_KEYS). */
export function keyMaskQuery(o: { rootKeys?: boolean; session?: boolean }): string {
  const paths = [...(o.rootKeys ? ['root_keys'] : []), ...(o.session ? ['session.keys'] : [])];
  return paths.length === 0 ? '' : `?field_mask=${paths.join(',')}`;
}
