import { Command, CommanderError } from 'commander';
import { CliError } from './client';
import { registerApiKeyCommands } from './commands/apiKeys';
import { registerApplicationCommands } from './commands/applications';
import { registerDownlinkCommands } from './commands/downlink';
import { registerEndDeviceCommands } from './commands/endDevices';
import { registerDeviceFormatterCommands, registerLinkCommands } from './commands/formatters';
import { registerGatewayCommands } from './commands/gateways';
import { registerSimulateCommands } from './commands/simulate';

const program = new Command('mote')
  .description(
    'Mote CLI — manage applications, devices, API keys, gateways and traffic (like ttn-lw-cli).\nEnv: MOTE_URL, MOTE_API_KEY or MOTE_ADMIN_PASSWORD.',
  )
  .showHelpAfterError()
  .exitOverride();

const apps = registerApplicationCommands(program);
registerApiKeyCommands(apps);
registerLinkCommands(apps);
const endDevices = registerEndDeviceCommands(program);
registerDownlinkCommands(endDevices);
registerDeviceFormatterCommands(endDevices);
registerSimulateCommands(program);
registerGatewayCommands(program);

// Not top-level await: the bundle is CommonJS (bin/mote.cjs says why).
async function main() {
  try {
    await program.parseAsync(process.argv);
  } catch (e) {
    if (e instanceof CommanderError) process.exit(e.exitCode);
    if (e instanceof CliError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(e.exitCode);
    }
    throw e;
  }
}

void main();
