/**
 * The data dir holds device keys (encrypted), the KEK file, API key hashes and every
 * application's traffic: only Mote's own user may read it (issue 17, item 16). Created 0700 and
 * 0600, and tightened on every start for a data dir made by an older version.
 */
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';

export function privateDir(dir: string) {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
}

/**
 * The SQLite file, and its `-wal` and `-shm` if they exist: SQLite gives those the main file's
 * mode when it creates them, so a main file made 0600 before the first open covers all three.
 */
export function privateSqliteFiles(file: string) {
  if (!existsSync(file)) closeSync(openSync(file, 'a', 0o600));
  for (const f of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(f)) chmodSync(f, 0o600);
}
