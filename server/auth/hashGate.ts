/**
 * At most `concurrency` password checks at once, a short queue behind them, and a refusal past
 * it (issue 17, item 7). Each scrypt check takes 128 MiB and a core for a few hundred ms: without
 * a cap, logins sprayed from many addresses would take the memory and CPU, and the real admin's
 * login would wait behind all of them.
 */
import { loginBusy } from './errors';

export interface HashGate {
  run<T>(check: () => Promise<T>): Promise<T>;
}

export function createHashGate(concurrency: number, maxWaiting = 16): HashGate {
  let running = 0;
  const waiting: Array<() => void> = [];
  // A finished check hands its place straight to the next in line, so none can jump the queue.
  const next = () => {
    const handOver = waiting.shift();
    if (handOver) handOver();
    else running--;
  };
  return {
    async run(check) {
      if (running < concurrency) running++;
      else if (waiting.length >= maxWaiting) throw loginBusy({ retry_after_s: 1 });
      else await new Promise<void>((resolve) => waiting.push(resolve));
      try {
        return await check();
      } finally {
        next();
      }
    },
  };
}
