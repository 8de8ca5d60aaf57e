import type { Command } from 'commander';
import { CliError, enc, printJson, request } from '../client';
import { type KeyFlags, keyFields, keyMaskQuery, keyOptions } from './deviceKeyFlags';

interface DeviceOptions extends KeyFlags {
  applicationId?: string;
  deviceId?: string;
  devEui?: string;
  joinEui?: string;
  name?: string;
  rootKeys?: boolean;
  session?: boolean;
}

function ids(a: string | undefined, d: string | undefined, o: DeviceOptions, needDevice: boolean) {
  const app = o.applicationId ?? a;
  const dev = o.deviceId ?? d;
  if (!app) throw new CliError('error: application ID is required', 2);
  if (needDevice && !dev) throw new CliError('error: device ID is required', 2);
  return { app, dev: dev ?? '' };
}

export function registerEndDeviceCommands(program: Command): Command {
  const devices = program.command('end-devices').alias('dev').description('manage end devices');
  const idOptions = (c: Command) =>
    c.option('--application-id <id>', 'application ID').option('--device-id <id>', 'device ID');

  keyOptions(idOptions(devices.command('create [application-id] [device-id]')))
    .description('create an end device')
    .option('--dev-eui <hex>', 'DevEUI (8 bytes hex)')
    .option('--join-eui <hex>', 'JoinEUI (8 bytes hex)')
    .option('--name <name>', 'display name')
    .action(async (a: string | undefined, d: string | undefined, o: DeviceOptions) => {
      const { app, dev } = ids(a, d, o, true);
      const end_device = {
        ids: { device_id: dev, dev_eui: o.devEui, join_eui: o.joinEui },
        name: o.name,
        ...keyFields(o),
      };
      printJson(await request('POST', `/api/v3/applications/${enc(app)}/devices`, { end_device }));
    });

  keyOptions(idOptions(devices.command('update [application-id] [device-id]')))
    .description('change an end device: only the fields given (`set` is taken by formatters)')
    .option('--dev-eui <hex>', 'DevEUI (8 bytes hex)')
    .option('--join-eui <hex>', 'JoinEUI (8 bytes hex)')
    .option('--name <name>', 'display name')
    .action(async (a: string | undefined, d: string | undefined, o: DeviceOptions) => {
      const { app, dev } = ids(a, d, o, true);
      const end_device = { ids: { dev_eui: o.devEui, join_eui: o.joinEui }, name: o.name, ...keyFields(o) };
      printJson(await request('PUT', `/api/v3/applications/${enc(app)}/devices/${enc(dev)}`, { end_device }));
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
