import { describe, expect, it } from 'vitest';
import { ConnectionQueue } from './connectionQueue';

describe('ConnectionQueue', () => {
  it('hands the connection to waiters one at a time, in arrival order', async () => {
    const queue = new ConnectionQueue();
    const order: number[] = [];
    let holders = 0;
    let most = 0;
    const use = async (n: number) => {
      await queue.acquire();
      holders++;
      most = Math.max(most, holders);
      order.push(n);
      await new Promise((r) => setImmediate(r));
      holders--;
      queue.release();
    };
    await Promise.all(Array.from({ length: 3_000 }, (_, n) => use(n)));
    expect(order).toEqual(Array.from({ length: 3_000 }, (_, n) => n));
    expect(most).toBe(1);
    expect(queue.waiting).toBe(0);
  });

  it('is free again after the last release', async () => {
    const queue = new ConnectionQueue();
    await queue.acquire();
    queue.release();
    let got = false;
    void queue.acquire().then(() => {
      got = true;
    });
    await Promise.resolve();
    expect(got).toBe(true);
  });
});
