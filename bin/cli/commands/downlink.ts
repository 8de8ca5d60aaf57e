import type { Command } from 'commander';
import { bytesToBase64, hexToBytes } from '../../../lib/messages/base64';
import { CliError, enc, printJson, request } from '../client';

/**
 * `mote end-devices downlink push|replace|list|clear <app> <dev>`, shaped like ttn-lw-cli:
 * `--frm-payload` is hex (`BEEF`), `--correlation-ids a,b`. The server validates the rest.
 */
interface DownlinkOptions {
  fPort?: string;
  frmPayload?: string;
  decodedPayload?: string;
  priority?: string;
  confirmed?: boolean;
  maxAttempts?: string;
  correlationIds?: string;
}

function downlinkOf(o: DownlinkOptions): Record<string, unknown> {
  const bytes = o.frmPayload === undefined ? undefined : hexToBytes(o.frmPayload);
  if (o.frmPayload !== undefined && !bytes)
    throw new CliError('error: --frm-payload must be hex, e.g. BEEF', 2);
  let decoded: unknown;
  if (o.decodedPayload !== undefined) {
    try {
      decoded = JSON.parse(o.decodedPayload);
    } catch {
      throw new CliError('error: --decoded-payload must be a JSON object', 2);
    }
  }
  return {
    f_port: o.fPort === undefined ? undefined : Number(o.fPort),
    frm_payload: bytes ? bytesToBase64(bytes) : undefined,
    decoded_payload: decoded,
    priority: o.priority?.toUpperCase(),
    confirmed: o.confirmed || undefined,
    confirmed_retry: o.maxAttempts === undefined ? undefined : { max_attempts: Number(o.maxAttempts) },
    correlation_ids: o.correlationIds
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  };
}

const path = (app: string, dev: string, tail: string) =>
  `/api/v3/as/applications/${enc(app)}/devices/${enc(dev)}/down${tail}`;

export function registerDownlinkCommands(endDevices: Command): Command {
  const downlink = endDevices.command('downlink').description('manage the downlink queue of an end device');

  for (const op of ['push', 'replace'] as const) {
    downlink
      .command(`${op} <application-id> <device-id>`)
      .description(op === 'push' ? 'append a downlink to the queue' : 'replace the queue with a downlink')
      .option('--f-port <n>', 'FPort (1–255, not 224)', '1')
      .option('--frm-payload <hex>', 'payload bytes in hex, e.g. BEEF')
      .option('--decoded-payload <json>', 'payload as JSON, for the device formatter')
      .option('--priority <name>', 'LOWEST … NORMAL … HIGHEST')
      .option('--confirmed', 'confirmed downlink')
      .option('--max-attempts <n>', 'confirmed retries (default 8, at most 32)')
      .option('--correlation-ids <ids>', 'comma-separated correlation IDs')
      .action(async (app: string, dev: string, o: DownlinkOptions) => {
        printJson(await request('POST', path(app, dev, `/${op}`), { downlinks: [downlinkOf(o)] }));
      });
  }

  downlink
    .command('list <application-id> <device-id>')
    .description('list the queue, in sending order')
    .action(async (app: string, dev: string) => printJson(await request('GET', path(app, dev, ''))));

  downlink
    .command('clear <application-id> <device-id>')
    .description('empty the queue')
    .action(async (app: string, dev: string) => printJson(await request('DELETE', path(app, dev, ''))));

  return downlink;
}
