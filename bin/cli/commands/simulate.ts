import type { Command } from 'commander';
import { bytesToBase64, hexToBytes } from '../../../lib/messages/base64';
import { CliError, enc, printJson, request } from '../client';

/**
 * `mote simulate start|stop|status <app> <dev>` drives the network simulator (docs/behaviour.md §8);
 * `mote simulate uplink <app> <dev> --f-port 1 --frm-payload 0102` publishes one uplink with
 * `"simulated": true` (docs/behaviour.md §6 up/simulate).
 */
const simPath = (app: string, dev: string, tail = '') =>
  `/api/v3/sim/applications/${enc(app)}/devices/${enc(dev)}${tail}`;

function number(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (Number.isNaN(n)) throw new CliError(`error: ${flag} must be a number`, 2);
  return n;
}

export function registerSimulateCommands(program: Command): Command {
  const simulate = program.command('simulate').alias('sim').description('simulated devices and uplinks');

  simulate
    .command('start <application-id> <device-id>')
    .description('start (or re-tune) a simulated device: it joins, then sends uplinks')
    .option('--interval <duration>', 'time between uplinks, e.g. 2s, 500ms, 1m')
    .option('--ack-loss <rate>', 'probability 0–1 that a confirmed downlink is not acknowledged')
    .option('--data-rate-index <n>', 'EU868 data rate 0 (SF12) … 5 (SF7)')
    .option('--via-udp', "through the simulator's virtual Semtech UDP gateway and the gateway server")
    .action(
      async (
        app: string,
        dev: string,
        o: { interval?: string; ackLoss?: string; dataRateIndex?: string; viaUdp?: boolean },
      ) => {
        printJson(
          await request('POST', simPath(app, dev, '/start'), {
            interval: o.interval,
            ack_loss: number('--ack-loss', o.ackLoss),
            data_rate_index: number('--data-rate-index', o.dataRateIndex),
            via_udp: o.viaUdp,
          }),
        );
      },
    );

  simulate
    .command('stop <application-id> <device-id>')
    .description('stop a simulated device')
    .action(async (app: string, dev: string) => printJson(await request('POST', simPath(app, dev, '/stop'))));

  simulate
    .command('status <application-id> <device-id>')
    .description("show a device's simulator state")
    .action(async (app: string, dev: string) => printJson(await request('GET', simPath(app, dev))));

  simulate
    .command('uplink <application-id> <device-id>')
    .description('publish one simulated uplink')
    .option('--f-port <n>', 'FPort', '1')
    .option('--frm-payload <hex>', 'payload bytes in hex, e.g. 0102', '')
    .action(async (app: string, dev: string, o: { fPort: string; frmPayload: string }) => {
      const bytes = hexToBytes(o.frmPayload);
      if (!bytes) throw new CliError('error: --frm-payload must be hex, e.g. 0102', 2);
      const path = `/api/v3/as/applications/${enc(app)}/devices/${enc(dev)}/up/simulate`;
      printJson(
        await request('POST', path, {
          uplink_message: { f_port: number('--f-port', o.fPort), frm_payload: bytesToBase64(bytes) },
        }),
      );
    });

  return simulate;
}
