import { describe, expect, it } from 'vitest';
import { createHashGate } from './hashGate';

describe('createHashGate', () => {
  it('runs at most `concurrency` checks at once, queues a few, refuses past the queue', async () => {
    const gate = createHashGate(2, 3);
    let running = 0;
    let peak = 0;
    const releases: Array<() => void> = [];
    const check = () =>
      new Promise<void>((resolve) => {
        running++;
        peak = Math.max(peak, running);
        releases.push(() => {
          running--;
          resolve();
        });
      });
    const admitted = Array.from({ length: 5 }, () => gate.run(check));
    await expect(gate.run(check)).rejects.toMatchObject({ name: 'login_busy' });
    while (releases.length > 0 || running > 0) {
      releases.shift()?.();
      await new Promise((r) => setTimeout(r, 1));
    }
    await Promise.all(admitted);
    expect(peak).toBe(2);
  });
});
