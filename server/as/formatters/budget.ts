/**
 * The per-application time budget of formatter scripts (issue 17 item 4): a script that runs to
 * its deadline `suspendAfter` times in a row, with no run that finished in time between, is
 * suspended for its application — refused at once instead of holding a worker for the full
 * deadline on every uplink — until the application's formatters are saved again. A suspension
 * belongs to one application and one script text: another application with the same text, or
 * the same application with an edited script, runs as before.
 */
export interface Suspension {
  /** SHA-256 of the suspended script. */
  hash: string;
  since: string;
  /** Deadline hits in a row that suspended it. */
  timeouts: number;
}

export interface ScriptBudget {
  /** Counts a run; true when this run suspended the script. */
  record(applicationId: string, hash: string, hitDeadline: boolean): boolean;
  suspended(applicationId: string, hash: string): Suspension | undefined;
  suspensions(applicationId: string): Suspension[];
  /** The application's formatters were saved: every suspension and count starts again. */
  resume(applicationId: string): void;
}

export function createScriptBudget(suspendAfter: number, now: () => Date = () => new Date()): ScriptBudget {
  const strikes = new Map<string, Map<string, number>>();
  const suspended = new Map<string, Map<string, Suspension>>();
  const of = <V>(map: Map<string, Map<string, V>>, applicationId: string) => {
    const inner = map.get(applicationId) ?? new Map<string, V>();
    map.set(applicationId, inner);
    return inner;
  };
  return {
    record(applicationId, hash, hitDeadline) {
      // Runs already under way when it was suspended do not suspend it again.
      if (suspended.get(applicationId)?.has(hash)) return false;
      const counts = of(strikes, applicationId);
      if (!hitDeadline) {
        counts.delete(hash);
        return false;
      }
      const timeouts = (counts.get(hash) ?? 0) + 1;
      counts.set(hash, timeouts);
      if (suspendAfter <= 0 || timeouts < suspendAfter) return false;
      counts.delete(hash);
      of(suspended, applicationId).set(hash, { hash, since: now().toISOString(), timeouts });
      return true;
    },
    suspended: (applicationId, hash) => suspended.get(applicationId)?.get(hash),
    suspensions: (applicationId) => [...(suspended.get(applicationId)?.values() ?? [])],
    resume(applicationId) {
      strikes.delete(applicationId);
      suspended.delete(applicationId);
    },
  };
}
