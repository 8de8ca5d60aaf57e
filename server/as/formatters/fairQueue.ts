/**
 * Jobs waiting for a formatter worker, one queue per application, taken round-robin: an
 * application that floods the pool (or whose script always runs to its deadline) waits behind
 * itself, while every other application's next job is at most one turn away (issue 17 item 4;
 * with one shared queue, app1's `while(true){}` delayed app2's uplinks by up to 22.8 s).
 */
export interface FairQueue<T> {
  /** False when this application already has `perApplication` jobs waiting. */
  push(applicationId: string, job: T): boolean;
  /** The next application's oldest job; that application then goes to the back of the turn. */
  shift(): T | undefined;
  /** Removes and returns the jobs of one application that match. */
  drain(applicationId: string, match: (job: T) => boolean): T[];
  /** Removes and returns every job. */
  clear(): T[];
}

export function createFairQueue<T>(perApplication: number): FairQueue<T> {
  // A Map iterates in insertion order: deleting and setting a key again moves it to the back.
  const turns = new Map<string, T[]>();
  return {
    push(applicationId, job) {
      const queue = turns.get(applicationId);
      if (!queue) {
        turns.set(applicationId, [job]);
        return true;
      }
      if (queue.length >= perApplication) return false;
      queue.push(job);
      return true;
    },
    shift() {
      for (const [applicationId, queue] of turns) {
        turns.delete(applicationId);
        const job = queue.shift();
        if (queue.length > 0) turns.set(applicationId, queue);
        if (job !== undefined) return job;
      }
      return undefined;
    },
    drain(applicationId, match) {
      const queue = turns.get(applicationId);
      if (!queue) return [];
      const drained = queue.filter(match);
      const kept = queue.filter((job) => !match(job));
      if (kept.length > 0) turns.set(applicationId, kept);
      else turns.delete(applicationId);
      return drained;
    },
    clear() {
      const all = [...turns.values()].flat();
      turns.clear();
      return all;
    },
  };
}
