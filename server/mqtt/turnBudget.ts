/**
 * How long packet handling may go on in one turn of the event loop before it yields. Storage
 * answers within microtasks (better-sqlite3 is synchronous), so a backlog of queued packets would
 * otherwise run as one microtask chain: at 5 000 `down/push`/s the event loop stalled for
 * seconds, timers and every other socket with it. Yielding after every packet instead cost a
 * socket write per `down/queued` (writes are corked per tick, transport.ts): the budget keeps
 * both the stall and the write count small.
 */
const TURN_BUDGET_MS = 4;

let turnEndsAt = 0;

const newTurn = () => {
  turnEndsAt = 0;
};

/** Whether handling may continue in this turn; the first asker starts the turn's clock. */
export function withinTurnBudget(): boolean {
  const now = performance.now();
  if (turnEndsAt === 0) {
    turnEndsAt = now + TURN_BUDGET_MS;
    setImmediate(newTurn);
  }
  return now < turnEndsAt;
}
