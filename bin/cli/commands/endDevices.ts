import type { Command } from 'commander';
import { CliError, enc, printJson, request } from '../client';
import { type KeyFlags, keyFields, keyMaskQuery, keyOptions } from './deviceKeyFlags';
import { acceptTtsFlags } from './ttsFlags';

export interface DeviceOptions extends KeyFlags {
  applicationId?: string;
  deviceId?: string;
  devEui?: string;
  joinEui?: string;
  appEui?: string;
  name?: string;
  description?: string;
  rootKeys?: boolean;
  session?: boolean;
}

const VERSION_FIELDS = ['brand-id', 'model-id', 'hardware-version', 'firmware-version', 'band-id'] as const;

function ids(a: string | undefined, d: string | undefined, o: DeviceOptions, needDevice: boolean) {
  const app = o.applicationId ?? a;
  const dev = o.deviceId ?? d;
  if (!app) throw new CliError('error: application ID is required', 2);
  if (needDevice && !dev) throw new CliError('error: device ID is required', 2);
  return { app, dev: dev ?? '' };
}

/** ttn-lw-cli's device flags (issue 15): a command line copied from TTS's docs works here. */
export const deviceOptions = (c: Command) =>
  acceptTtsFlags(
    keyOptions(c)
      .option('--dev-eui <hex>', 'DevEUI (8 bytes hex)')
      .option('--join-eui <hex>', 'JoinEUI (8 bytes hex)')
      .option('--app-eui <hex>', 'the LoRaWAN 1.0 name of the JoinEUI')
      .option('--name <name>', 'display name')
      .option('--description <text>', 'description')
      .option('--version-ids.brand-id <id>', 'Device Repository brand, e.g. the-things-industries')
      .option('--version-ids.model-id <id>', 'Device Repository model')
      .option('--version-ids.hardware-version <version>', 'hardware version')
      .option('--version-ids.firmware-version <version>', 'firmware version')
      .option('--version-ids.band-id <band>', 'band, e.g. EU_863_870'),
  );

/** The `end_device` fields and the field mask paths (as ttn-lw-cli sends them) the flags set. */
export function deviceBody(
  o: DeviceOptions,
  c: Command,
): { end_device: Record<string, unknown>; paths: string[] } {
  if (o.joinEui !== undefined && o.appEui !== undefined && o.joinEui !== o.appEui)
    throw new CliError('error: --join-eui and --app-eui name the same field: give one', 2);
  const versionIds: Record<string, string> = {};
  for (const f of VERSION_FIELDS) {
    const option = c.options.find((x) => x.long === `--version-ids.${f}`);
    const value = option ? (c.getOptionValue(option.attributeName()) as string | undefined) : undefined;
    if (value !== undefined) versionIds[f.replace('-', '_')] = value;
  }
  const end_device: Record<string, unknown> = {
    ids: { dev_eui: o.devEui, join_eui: o.joinEui ?? o.appEui },
    name: o.name,
    description: o.description,
    ...keyFields(o),
    version_ids: Object.keys(versionIds).length > 0 ? versionIds : undefined,
  };
  const paths = Object.keys(versionIds).map((f) => `version_ids.${f}`);
  return { end_device, paths };
}

export function registerEndDeviceCommands(program: Command): Command {
  const devices = program.command('end-devices').alias('dev').description('manage end devices');
  const idOptions = (c: Command) =>
    c.option('--application-id <id>', 'application ID').option('--device-id <id>', 'device ID');

  deviceOptions(idOptions(devices.command('create [application-id] [device-id]')))
    .description('create an end device')
    .action(async (a: string | undefined, d: string | undefined, o: DeviceOptions, c: Command) => {
      const { app, dev } = ids(a, d, o, true);
      const { end_device } = deviceBody(o, c);
      end_device.ids = { device_id: dev, ...(end_device.ids as object) };
      printJson(await request('POST', `/api/v3/applications/${enc(app)}/devices`, { end_device }));
    });

  deviceOptions(idOptions(devices.command('update [application-id] [device-id]')))
    .description('change an end device: only the fields given (also `set`)')
    .action(async (a: string | undefined, d: string | undefined, o: DeviceOptions, c: Command) => {
      const { app, dev } = ids(a, d, o, true);
      printJson(await updateDevice(app, dev, deviceBody(o, c)));
    });

  idOptions(devices.command('list [application-id]'))
    .description('list end devices')
    .action(async (a: string | undefined, o: DeviceOptions) => {
      const { app } = ids(a, undefined, o, false);
      printJson(await request('GET', `/api/v3/applications/${enc(app)}/devices`));
    });

  idOptions(devices.command('get [application-id] [device-id]'))
    .description('show an end device')
    .option('--root-keys', 'include the root keys (needs RIGHT_APPLICATION_DEVICES_READ_KEYS)')
    .option('--session', 'include the session keys (needs RIGHT_APPLICATION_DEVICES_READ_KEYS)')
    .action(async (a: string | undefined, d: string | undefined, o: DeviceOptions) => {
      const { app, dev } = ids(a, d, o, true);
      const query = keyMaskQuery(o);
      printJson(await request('GET', `/api/v3/applications/${enc(app)}/devices/${enc(dev)}${query}`));
    });

  idOptions(devices.command('delete [application-id] [device-id]'))
    .description('delete an end device and its queue')
    .action(async (a: string | undefined, d: string | undefined, o: DeviceOptions) => {
      const { app, dev } = ids(a, d, o, true);
      await request('DELETE', `/api/v3/applications/${enc(app)}/devices/${enc(dev)}`);
    });

  return devices;
}

export function updateDevice(
  app: string,
  dev: string,
  { end_device, paths }: ReturnType<typeof deviceBody>,
): Promise<unknown> {
  const body = paths.length > 0 ? { end_device, field_mask: { paths } } : { end_device };
  return request('PUT', `/api/v3/applications/${enc(app)}/devices/${enc(dev)}`, body);
}

/** Whether any registry field is set (ids are always an object, maybe of undefineds). */
export const hasDeviceFields = ({ end_device }: ReturnType<typeof deviceBody>) =>
  Object.entries(end_device).some(([k, v]) =>
    k === 'ids' ? Object.values(v as object).some((x) => x !== undefined) : v !== undefined,
  );
