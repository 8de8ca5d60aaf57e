#!/usr/bin/env node
// `npm test`: everything — prerequisites, type check, lint, build, unit + integration (vitest),
// end-to-end in Chromium (Playwright). Stops at the first failing stage.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);

const onPath = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const pythonHas = (mod) => spawnSync('python3', ['-c', `import ${mod}`]).status === 0;

/** What the tests need from Debian, and how to tell it is there. */
const SYSTEM_PACKAGES = [
  ['chromium', () => existsSync('/usr/bin/chromium')],
  ['mosquitto-clients', () => onPath('mosquitto_sub') && onPath('mosquitto_pub')],
  ['mosquitto', () => onPath('mosquitto') || existsSync('/usr/sbin/mosquitto')],
  ['python3-paho-mqtt', () => pythonHas('paho.mqtt.client')],
  // The scale-out suites start their own (test/helpers/redis.ts).
  ['redis-server', () => existsSync('/usr/bin/redis-server')],
  // The PostgreSQL store's suites start throwaway clusters with Debian's 15 (test/helpers/postgres.ts).
  ['postgresql', () => existsSync('/usr/lib/postgresql/15/bin/postgres')],
];

function ensureSystemPackages() {
  const missing = SYSTEM_PACKAGES.filter(([, present]) => !present()).map(([name]) => name);
  if (missing.length === 0) return;
  const command = `apt-get update && apt-get install -y ${missing.join(' ')}`;
  if (process.getuid?.() !== 0) {
    console.error(
      `Missing system packages for the tests: ${missing.join(', ')}.\nRun:  sudo sh -c '${command}'`,
    );
    process.exit(1);
  }
  console.log(`Installing ${missing.join(', ')} …`);
  run('sh', [
    '-c',
    `DEBIAN_FRONTEND=noninteractive ${command} > /tmp/mote-apt.log 2>&1 || (tail -20 /tmp/mote-apt.log; exit 1)`,
  ]);
}

function run(cmd, args, env = {}) {
  const started = Date.now();
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.status !== 0) {
    console.error(`\n✗ ${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status ?? 1);
  }
  console.log(`✓ ${[cmd, ...args].join(' ')} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
}

const bin = (name) => join(root, 'node_modules', '.bin', name);

ensureSystemPackages();
run(bin('tsc'), ['--noEmit']);
run(bin('biome'), ['ci', '.']);
run(bin('next'), ['build']);
// The server and the CLI as `npm run build` ships them: the suites run the bundles.
run(process.execPath, ['scripts/build-bundles.js']);
run(bin('vitest'), ['run']);
run(bin('playwright'), ['test']);
