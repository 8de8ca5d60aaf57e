/** `npm start`: config → createMote → listen (docs/architecture.md). */
import { readConfig } from './config';
import { createMote } from './mote';

async function main(): Promise<void> {
  const config = readConfig();
  const mote = await createMote(config);
  const ports = await mote.listen();
  mote.log.info(
    { http: ports.http, mqtt: ports.mqtt, udp: ports.udp, dataDir: config.dataDir },
    'mote ready',
  );
  if (mote.generatedPassword) {
    process.stdout.write(
      `\n  Console: http://localhost:${ports.http}  —  admin password (shown once, stored hashed):\n\n      ${mote.generatedPassword}\n\n  Set MOTE_ADMIN_PASSWORD to choose your own.\n\n`,
    );
  }
  const shutdown = (signal: string) => {
    mote.log.info({ signal }, 'shutting down');
    mote.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((err: unknown) => {
  process.stderr.write(
    `mote failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
