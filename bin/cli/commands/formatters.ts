import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { CliError, enc, printJson, request } from '../client';
import { type DeviceOptions, deviceBody, deviceOptions, hasDeviceFields, updateDevice } from './endDevices';

/**
 * Payload formatters (docs/behaviour.md §7) with ttn-lw-cli's flags:
 *   mote applications link set app1 --default-formatters.up-formatter FORMATTER_JAVASCRIPT \
 *     --default-formatters.up-formatter-parameter-local-file decoder.js
 *   mote end-devices set app1 dev1 --formatters.up-formatter FORMATTER_CAYENNELPP
 */
const FIELDS = ['up-formatter', 'down-formatter'] as const;

function formatterFlags(c: Command, prefix: string): Command {
  for (const field of FIELDS) {
    c.option(
      `--${prefix}.${field} <formatter>`,
      'FORMATTER_NONE, FORMATTER_JAVASCRIPT or FORMATTER_CAYENNELPP',
    )
      .option(`--${prefix}.${field}-parameter <script>`, 'the JavaScript formatter script')
      .option(`--${prefix}.${field}-parameter-local-file <file>`, 'read the script from a file');
  }
  return c;
}

/** Commander keys dotted flags by their full camel-cased name; read them back by flag. */
function readFlags(c: Command, prefix: string): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const field of FIELDS) {
    const snake = field.replace('-', '_');
    const value = (flag: string) => {
      const option = c.options.find((o) => o.long === `--${prefix}.${flag}`);
      return option ? (c.getOptionValue(option.attributeName()) as string | undefined) : undefined;
    };
    const formatter = value(field);
    if (formatter) out[snake] = formatter;
    const file = value(`${field}-parameter-local-file`);
    let parameter = value(`${field}-parameter`);
    if (file) {
      try {
        parameter = readFileSync(file, 'utf8');
      } catch (e) {
        throw new CliError(`error: cannot read ${file}: ${(e as Error).message}`, 2);
      }
    }
    if (parameter !== undefined) out[`${snake}_parameter`] = parameter;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

export function registerLinkCommands(applications: Command): void {
  const link = applications.command('link').description("the application's default payload formatters");
  link
    .command('get <application-id>')
    .description('show the default formatters')
    .action(async (app: string) =>
      printJson(await request('GET', `/api/v3/as/applications/${enc(app)}/link`)),
    );
  formatterFlags(link.command('set <application-id>'), 'default-formatters')
    .description('set the default formatters (devices without their own use these)')
    .option('--unset <fields>', '`default-formatters` clears them')
    .action(async (app: string, o: { unset?: string }, c: Command) => {
      const f = readFlags(c, 'default-formatters');
      if (!f && o.unset !== 'default-formatters')
        throw new CliError('error: give --default-formatters.… flags, or --unset default-formatters', 2);
      const body = { link: { default_formatters: o.unset === 'default-formatters' ? null : f } };
      printJson(await request('PUT', `/api/v3/as/applications/${enc(app)}/link`, body));
    });
}

/**
 * ttn-lw-cli's `end-devices set`: the device's own payload formatters (overriding the
 * application's) and, as there, the registry fields (`--name`, `--version-ids.*`, keys, …).
 */
export function registerDeviceFormatterCommands(endDevices: Command): void {
  deviceOptions(formatterFlags(endDevices.command('set <application-id> <device-id>'), 'formatters'))
    .description("set a device's fields and its own payload formatters (overriding the application's)")
    .option('--unset <fields>', '`formatters` returns the device to the application defaults')
    .action(async (app: string, dev: string, o: DeviceOptions & { unset?: string }, c: Command) => {
      const f = readFlags(c, 'formatters');
      const device = deviceBody(o, c);
      const fields = hasDeviceFields(device);
      if (!f && o.unset !== 'formatters' && !fields)
        throw new CliError('error: give device flags, --formatters.… flags, or --unset formatters', 2);
      let out: unknown;
      if (fields) out = await updateDevice(app, dev, device);
      if (f || o.unset === 'formatters') {
        const body = { end_device: { formatters: o.unset === 'formatters' ? null : f } };
        out = await request('PUT', `/api/v3/as/applications/${enc(app)}/devices/${enc(dev)}`, body);
      }
      printJson(out);
    });
}
