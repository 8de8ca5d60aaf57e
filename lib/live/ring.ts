/** A fixed-capacity ring: O(1) push that evicts the oldest entry when full. */
export class Ring<T> {
  private readonly slots: (T | undefined)[];
  private start = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    this.slots = new Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  /** Appends `item`; returns the evicted entry, if the ring was full. */
  push(item: T): T | undefined {
    if (this.count < this.capacity) {
      this.slots[(this.start + this.count) % this.capacity] = item;
      this.count++;
      return undefined;
    }
    const evicted = this.slots[this.start];
    this.slots[this.start] = item;
    this.start = (this.start + 1) % this.capacity;
    return evicted;
  }

  /** Entry `i`, 0 being the oldest. */
  at(i: number): T | undefined {
    return i >= 0 && i < this.count ? this.slots[(this.start + i) % this.capacity] : undefined;
  }

  last(): T | undefined {
    return this.at(this.count - 1);
  }

  toArray(): T[] {
    const out = new Array<T>(this.count);
    for (let i = 0; i < this.count; i++) out[i] = this.slots[(this.start + i) % this.capacity] as T;
    return out;
  }

  clear(): void {
    this.slots.fill(undefined);
    this.start = 0;
    this.count = 0;
  }
}
