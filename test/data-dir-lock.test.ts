/**
 * One SQLite data directory serves one instance (issue 14): a second Mote started on the same
 * directory is refused at start with a message that says what to do, and the first goes on
 * serving. The claim ends with the process, however it ends.
 */
import { afterEach, expect, it } from 'vitest';
import { type RunningMote, removeDataDir, startMote } from './helpers/mote';

const running: RunningMote[] = [];
afterEach(async () => {
  for (const m of running.splice(0)) await m.kill();
  if (first) removeDataDir(first);
});
let first: RunningMote | undefined;

const healthy = async (m: RunningMote) => (await fetch(`${m.url}/healthz`)).status;

it('refuses a second instance on one data directory, and lets the next one in once the first is gone', async () => {
  first = await startMote();
  running.push(first);
  const refused = await startMote({ dataDir: first.dataDir }).then(
    (m) => {
      running.push(m);
      return 'started';
    },
    (e: Error) => e.message,
  );
  expect(refused).toMatch(/exited with 1 before ready/);
  expect(refused).toContain(`another Mote is using the data directory \`${first.dataDir}\``);
  expect(refused).toContain('DATABASE_URL, REDIS_URL');
  expect(await healthy(first)).toBe(200);

  // Killed outright: nothing stale is left behind, the next start on the directory works.
  await first.kill();
  const second = await startMote({ dataDir: first.dataDir });
  running.push(second);
  expect(await healthy(second)).toBe(200);
  await second.stop();
  const third = await startMote({ dataDir: first.dataDir });
  running.push(third);
  expect(await healthy(third)).toBe(200);
});
