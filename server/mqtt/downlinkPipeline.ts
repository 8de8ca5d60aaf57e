/**
 * A connection's `down/push` and `down/replace` in flight together. Handled one at a time, a
 * connection got one push into each group the queue commits (server/store/writeGroups.ts), one
 * group per event-loop turn: a client pushing to many devices was held to a push per turn, and
 * once turns grew longer than the gap between its pushes its backlog only grew. In flight
 * together, what one read brought joins one group (docs/adr/0009, amendment).
 *
 * What a client can see stays as it was: operations on one device run one after another in the
 * order they arrived (a replace never overtakes the push before it), acknowledgements go out in
 * PUBLISH order [MQTT-4.6.0-2], and any other packet waits until everything in flight is done
 * (connection.ts), so a DISCONNECT comes after the pushes before it are stored.
 */
export class DownlinkPipeline {
  private inFlight = 0;
  /** The last operation started per device. */
  private readonly lastOnDevice = new Map<string, Promise<unknown>>();
  /** The last acknowledgement in line; undefined when none is waiting. */
  private acks: Promise<void> | undefined;
  /** One at most: while the connection waits on `add`'s or `drained`'s promise it reads nothing. */
  private waiter: { atMost: number; resolve: () => void } | undefined;

  constructor(
    /** Operations in flight before the connection stops reading. */
    private readonly depth: number,
    /** An operation that threw: a bug, not bad input (downlinkReceiver answers that). */
    private readonly onFailure: (error: unknown) => void,
  ) {}

  get idle(): boolean {
    return this.inFlight === 0;
  }

  /**
   * Starts `operation` once the connection's earlier one on `device` is done, and runs
   * `acknowledge` with its result after every earlier acknowledgement. Returns a promise only
   * when the pipeline is full; the connection reads on once it settles.
   */
  add<T>(
    device: string,
    operation: () => Promise<T>,
    acknowledge: (result: T) => void,
  ): Promise<void> | undefined {
    this.inFlight++;
    const before = this.lastOnDevice.get(device);
    const done = before ? before.then(operation) : operation();
    this.lastOnDevice.set(device, done);
    const acked = Promise.all([this.acks, done]).then(([, result]) => acknowledge(result));
    const settled: Promise<void> = acked.then(
      (): void => this.settle(device, done, settled),
      (error: unknown) => {
        this.settle(device, done, settled);
        this.onFailure(error);
      },
    );
    this.acks = settled;
    return this.inFlight >= this.depth ? this.until(this.depth - 1) : undefined;
  }

  /** Runs `acknowledge` now, or after the acknowledgements still in line. */
  acknowledge(acknowledge: () => void): void {
    if (!this.acks) {
      acknowledge();
      return;
    }
    const acked = this.acks.then(acknowledge);
    const settled: Promise<void> = acked.then(
      (): void => this.release(settled),
      (error: unknown) => {
        this.release(settled);
        this.onFailure(error);
      },
    );
    this.acks = settled;
  }

  /** Settles once nothing is in flight. */
  drained(): Promise<void> {
    return this.until(0);
  }

  private until(atMost: number): Promise<void> {
    if (this.inFlight <= atMost) return Promise.resolve();
    return new Promise((resolve) => {
      this.waiter = { atMost, resolve };
    });
  }

  private settle(device: string, done: Promise<unknown>, settled: Promise<void>) {
    if (this.lastOnDevice.get(device) === done) this.lastOnDevice.delete(device);
    this.inFlight--;
    this.release(settled);
    const waiter = this.waiter;
    if (waiter && this.inFlight <= waiter.atMost) {
      this.waiter = undefined;
      waiter.resolve();
    }
  }

  private release(settled: Promise<void>) {
    if (this.acks === settled) this.acks = undefined;
  }
}
