// Debian packages the tests and the bench need, and how to tell each is there: `npm test`
// installs all of them, `npm run bench` the ones its scenarios use (apt-get, as root).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const onPath = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const pythonHas = (mod) => spawnSync('python3', ['-c', `import ${mod}`]).status === 0;

/** What the tests need from Debian, and how to tell it is there. */
export const SYSTEM_PACKAGES = [
  ['chromium', () => existsSync('/usr/bin/chromium')],
  ['mosquitto-clients', () => onPath('mosquitto_sub') && onPath('mosquitto_pub')],
  ['mosquitto', () => onPath('mosquitto') || existsSync('/usr/sbin/mosquitto')],
  ['python3-paho-mqtt', () => pythonHas('paho.mqtt.client')],
  // The scale-out suites start their own (test/helpers/redis.ts).
  ['redis-server', () => existsSync('/usr/bin/redis-server')],
  // The PostgreSQL store's suites start throwaway clusters with Debian's 15 (test/helpers/postgres.ts).
  ['postgresql', () => existsSync('/usr/lib/postgresql/15/bin/postgres')],
];

/**
 * Installs the missing ones among `names` (all by default) with apt-get when root; otherwise
 * names the command to run and exits. `who` says what needs them, for that message.
 */
export function ensureSystemPackages(names = SYSTEM_PACKAGES.map(([name]) => name), who = 'the tests') {
  const missing = SYSTEM_PACKAGES.filter(([name, present]) => names.includes(name) && !present()).map(
    ([name]) => name,
  );
  if (missing.length === 0) return;
  const command = `apt-get update && apt-get install -y ${missing.join(' ')}`;
  if (process.getuid?.() !== 0) {
    console.error(
      `Missing system packages for ${who}: ${missing.join(', ')}.\nRun:  sudo sh -c '${command}'`,
    );
    process.exit(1);
  }
  console.error(`Installing ${missing.join(', ')} …`);
  const r = spawnSync(
    'sh',
    [
      '-c',
      `DEBIAN_FRONTEND=noninteractive ${command} > /tmp/mote-apt.log 2>&1 || (tail -20 /tmp/mote-apt.log; exit 1)`,
    ],
    { stdio: ['ignore', process.stderr, process.stderr] },
  );
  if (r.status !== 0) {
    console.error(`\n✗ installing ${missing.join(', ')} failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status ?? 1);
  }
}
