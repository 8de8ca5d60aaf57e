/**
 * `mote gateways …` with ttn-lw-cli's flags (`--gateway-eui`, `--frequency-plan-id`,
 * `--location.latitude` …). Values go to the API as given: the server validates them and names
 * the field that is wrong. Commander keeps the dots of `--location.latitude` in the option name.
 */
import type { Command } from 'commander';
import { CliError, enc, printJson, request } from '../client';

interface GatewayFlags {
  gatewayId?: string;
  gatewayEui?: string;
  frequencyPlanId?: string;
  name?: string;
  description?: string;
  'location.latitude'?: string;
  'location.longitude'?: string;
  'location.altitude'?: string;
  unset?: string;
}

type Location = { latitude?: unknown; longitude?: unknown; altitude?: unknown };

/** A number when the flag reads as one; otherwise the text, for the server to refuse by name. */
const num = (s: string | undefined) =>
  s === undefined || s.trim() === '' || Number.isNaN(Number(s)) ? s : Number(s);

function locationFlags(o: GatewayFlags): Location | undefined {
  const l = {
    latitude: num(o['location.latitude']),
    longitude: num(o['location.longitude']),
    altitude: num(o['location.altitude']),
  };
  return Object.values(l).every((v) => v === undefined) ? undefined : l;
}

function gatewayBody(o: GatewayFlags, location: Location | undefined) {
  return {
    ids: { eui: o.gatewayEui },
    name: o.name,
    description: o.description,
    frequency_plan_id: o.frequencyPlanId,
    antennas: location && [{ location }],
  };
}

function gatewayId(positional: string | undefined, o: GatewayFlags): string {
  const id = o.gatewayId ?? positional;
  if (!id) throw new CliError('error: gateway ID is required', 2);
  return id;
}

/**
 * `--unset description,location`: a field mask naming the fields given and the ones to clear (as
 * ttn-lw-cli's `--unset`); `location` stands for TTS's `antennas`. Without it, no mask.
 */
function unsetMask(unset: string | undefined, g: ReturnType<typeof gatewayBody>) {
  if (unset === undefined) return undefined;
  const given = Object.entries({
    name: g.name,
    description: g.description,
    frequency_plan_id: g.frequency_plan_id,
    'ids.eui': g.ids.eui,
    antennas: g.antennas,
  }).flatMap(([path, v]) => (v === undefined ? [] : [path]));
  const cleared = unset
    .split(',')
    .map((p) => p.trim().replaceAll('-', '_'))
    .filter((p) => p !== '')
    .map((p) => (p === 'location' ? 'antennas' : p));
  return { paths: [...new Set([...given, ...cleared])] };
}

const fieldOptions = (c: Command) =>
  c
    .option('--gateway-id <id>', 'gateway ID')
    .option('--gateway-eui <hex>', 'gateway EUI (8 bytes hex), as the packet forwarder sends it')
    .option('--frequency-plan-id <id>', 'frequency plan: EU_863_870, US_902_928_FSB_2')
    .option('--name <name>', 'display name')
    .option('--description <text>', 'description')
    .option('--location.latitude <degrees>', 'antenna latitude (−90 to 90)')
    .option('--location.longitude <degrees>', 'antenna longitude (−180 to 180)')
    .option('--location.altitude <metres>', 'antenna altitude in whole metres');

export function registerGatewayCommands(program: Command): Command {
  const gateways = program
    .command('gateways')
    .aliases(['gateway', 'gtw', 'gw'])
    .description('manage gateways (the console administrator only)');

  fieldOptions(gateways.command('create [gateway-id]'))
    .description('register a gateway')
    .action(async (id: string | undefined, o: GatewayFlags) => {
      const gateway = gatewayBody(o, locationFlags(o));
      const body = { gateway: { ...gateway, ids: { gateway_id: gatewayId(id, o), eui: o.gatewayEui } } };
      printJson(await request('POST', '/api/v3/gateways', body));
    });

  fieldOptions(gateways.command('update [gateway-id]'))
    .description('change a gateway: only the fields given')
    .option('--unset <fields>', 'clear fields, comma-separated: name, description, location')
    .action(async (id: string | undefined, o: GatewayFlags) => {
      const path = `/api/v3/gateways/${enc(gatewayId(id, o))}`;
      let location = locationFlags(o);
      if (location && Object.values(location).some((v) => v === undefined)) {
        // One location flag moves one coordinate: the others are kept from the registry.
        const current = (await request('GET', path)) as { antennas?: { location?: Location }[] };
        const { source: _, ...was } = (current.antennas?.[0]?.location ?? {}) as Location & {
          source?: string;
        };
        location = {
          ...was,
          ...Object.fromEntries(Object.entries(location).filter(([, v]) => v !== undefined)),
        };
      }
      const gateway = gatewayBody(o, location);
      printJson(await request('PUT', path, { gateway, field_mask: unsetMask(o.unset, gateway) }));
    });

  gateways
    .command('list')
    .description('list gateways')
    .action(async () => printJson(await request('GET', '/api/v3/gateways')));

  gateways
    .command('get [gateway-id]')
    .description('show a gateway')
    .option('--gateway-id <id>', 'gateway ID')
    .action(async (id: string | undefined, o: GatewayFlags) => {
      printJson(await request('GET', `/api/v3/gateways/${enc(gatewayId(id, o))}`));
    });

  gateways
    .command('delete [gateway-id]')
    .description('delete a gateway')
    .option('--gateway-id <id>', 'gateway ID')
    .action(async (id: string | undefined, o: GatewayFlags) => {
      await request('DELETE', `/api/v3/gateways/${enc(gatewayId(id, o))}`);
    });

  return gateways;
}
