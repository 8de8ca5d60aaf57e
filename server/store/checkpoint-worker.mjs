// Worker entry (plain JS: it needs nothing but better-sqlite3): runs PASSIVE WAL checkpoints on
// its own connection, off the event loop of the thread that serves traffic. See checkpoint.ts.
import { parentPort, workerData } from 'node:worker_threads';
import SQLite from 'better-sqlite3';

const db = new SQLite(workerData.file);
// Same durability as the main connection: a checkpoint syncs the WAL, then the database.
db.pragma('synchronous = NORMAL');

const checkpoint = () => {
  try {
    // PASSIVE never waits for readers or writers; it copies what it can and comes back later.
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // SQLITE_BUSY: another checkpoint (the main connection's backstop) is running. Next time.
  }
};
const timer = setInterval(checkpoint, workerData.intervalMs);

parentPort.on('message', (m) => {
  if (m !== 'stop') return;
  clearInterval(timer);
  db.close();
  parentPort.close();
});
