/**
 * First come, first served hand-over of SQLite's one connection. Kysely's SQLite driver guards
 * it with a mutex that wakes every waiter on each release; all but one find it taken again and
 * wait anew. Under load (a counter batch holding the connection while history, last-seen and
 * lookups queue behind it) that is quadratic in the queue's length: at 2 000 uplinks/s it was a
 * fifth of everything the process allocated. Here a release wakes exactly the next waiter, and
 * the inner driver's mutex never has more than one taker.
 */
export class ConnectionQueue {
  #busy = false;
  #waiting: ((value?: undefined) => void)[] = [];
  #head = 0;

  /** Resolves once the caller holds the connection; `release` must follow, exactly once. */
  acquire(): Promise<void> {
    if (!this.#busy) {
      this.#busy = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  release() {
    const next = this.#waiting[this.#head];
    if (next === undefined) {
      this.#busy = false;
      return;
    }
    // Handed over while still busy: nobody can slip in between.
    this.#head++;
    if (this.#head === this.#waiting.length) {
      this.#waiting = [];
      this.#head = 0;
    } else if (this.#head > 1024 && this.#head * 2 > this.#waiting.length) {
      this.#waiting = this.#waiting.slice(this.#head);
      this.#head = 0;
    }
    next();
  }

  /** Callers waiting for the connection now (tests, stats). */
  get waiting(): number {
    return this.#waiting.length - this.#head;
  }
}
