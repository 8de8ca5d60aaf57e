/**
 * A real Mote started on a store seeded beforehand through the store itself, on either engine
 * (test/helpers/engines.ts): history in bulk costs seconds through the store and minutes through
 * the API. The seed and the server share the data dir, hence the key-encryption key in it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../server/log';
import { loadKek } from '../../server/store/kekFile';
import type { Store } from '../../server/store/ports';
import { type EngineName, storePlace } from './engines';
import { type RunningMote, type StartOptions, startMote } from './mote';

export interface SeededMote {
  mote: RunningMote;
  dispose(): Promise<void>;
}

export async function seededMote(
  engine: EngineName,
  seed: (store: Store) => Promise<void>,
  options: Pick<StartOptions, 'nodeArgs'> & { maxBatch?: number } = {},
): Promise<SeededMote> {
  const place = await storePlace(engine);
  // SQLite's data dir is the store's place; on PostgreSQL it holds only the `kek` file.
  const dataDir = engine === 'sqlite' ? place.where : mkdtempSync(join(tmpdir(), 'mote-seeded-'));
  const store = await place.open({
    log: silentLogger,
    kek: loadKek(dataDir),
    history: { maxBatch: options.maxBatch ?? 5000 },
  });
  try {
    await seed(store);
  } finally {
    await store.close();
  }
  // Autovacuum analyzes a bulk-loaded table within about a minute; until then the planner
  // guesses a few rows and reads each history page by sorting every row after its cursor.
  if (engine === 'postgres') await place.rows('analyze');
  const env: Record<string, string> = engine === 'postgres' ? { DATABASE_URL: place.where } : {};
  const mote = await startMote({ dataDir, env, nodeArgs: options.nodeArgs });
  return {
    mote,
    async dispose() {
      await mote.stop();
      rmSync(dataDir, { recursive: true, force: true });
      place.dispose();
    },
  };
}
