/**
 * FCnt writes in batches: the counter UPDATEs asked for in one turn of the event loop commit in
 * one transaction, on the next `setImmediate`. Each uplink's UPDATE alone was an autocommit, a
 * WAL commit of its own, and at thousands of uplinks per second those commits were the largest
 * single cost of the radio path. A merge sweep (server/gs/merge.ts) hands its frames over in one
 * turn, so their counters land in one batch. Every caller still waits for the commit that holds
 * its write before it goes on: the counter is stored before the frame is published, as before.
 */
/** Runs every item in one transaction, in order; one result per item. */
export type BatchRunner<I, O> = (items: readonly I[]) => Promise<O[]>;

interface Waiting<I, O> {
  item: I;
  resolve: (o: O) => void;
  reject: (e: unknown) => void;
}

export function createBatcher<I, O>(run: BatchRunner<I, O>): (item: I) => Promise<O> {
  let waiting: Waiting<I, O>[] = [];

  const flush = async () => {
    const batch = waiting;
    waiting = [];
    try {
      const results = await run(batch.map((w) => w.item));
      for (const [i, w] of batch.entries()) w.resolve(results[i] as O);
    } catch (e) {
      // One transaction: nothing of the batch was written, and every caller hears why.
      for (const w of batch) w.reject(e);
    }
  };

  return (item) =>
    new Promise<O>((resolve, reject) => {
      if (waiting.length === 0) setImmediate(flush);
      waiting.push({ item, resolve, reject });
    });
}
