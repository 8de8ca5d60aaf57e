/**
 * The server's V8 inspector (start it with `nodeArgs: INSPECT`): a full garbage collection and
 * the JS heap size after it. A heap that does not come back after a forced GC holds something
 * it should have let go; RSS alone also counts garbage V8 has not bothered to collect yet.
 */
import WebSocket from 'ws';
import type { RunningMote } from './mote';

/** Node flags for startMote: the inspector on a free loopback port. */
export const INSPECT = ['--inspect=127.0.0.1:0'];

/** `process.memoryUsage()` of the server. */
export interface ServerMemory {
  rss: number;
  heapUsed: number;
  /** Buffers and other ArrayBuffers, outside the JS heap: where socket write queues live. */
  arrayBuffers: number;
}

export interface Inspector {
  /** Runs a full GC, then answers the used JS heap in bytes. */
  heapAfterGc(): Promise<number>;
  /** Runs a full GC, then answers the server's memory use. */
  memoryAfterGc(): Promise<ServerMemory>;
  close(): void;
}

export async function inspect(mote: RunningMote): Promise<Inspector> {
  const url = /Debugger listening on (ws:\/\/\S+)/.exec(mote.output())?.[1];
  if (!url) throw new Error('the server was not started with INSPECT');
  const ws = new WebSocket(url);
  await new Promise<void>((resolve, reject) => ws.once('open', () => resolve()).once('error', reject));
  let id = 0;
  const waiting = new Map<number, (result: unknown) => void>();
  ws.on('message', (data) => {
    const msg = JSON.parse(data.toString()) as { id?: number; result?: unknown };
    if (msg.id !== undefined) waiting.get(msg.id)?.(msg.result);
  });
  const send = <T>(method: string, params?: Record<string, unknown>): Promise<T> =>
    new Promise((resolve) => {
      const n = ++id;
      waiting.set(n, (r) => {
        waiting.delete(n);
        resolve(r as T);
      });
      ws.send(JSON.stringify({ id: n, method, params }));
    });
  return {
    async heapAfterGc() {
      await send('HeapProfiler.collectGarbage');
      return (await send<{ usedSize: number }>('Runtime.getHeapUsage')).usedSize;
    },
    async memoryAfterGc() {
      await send('HeapProfiler.collectGarbage');
      const r = await send<{ result: { value: ServerMemory } }>('Runtime.evaluate', {
        expression: 'process.memoryUsage()',
        returnByValue: true,
      });
      return r.result.value;
    },
    close: () => ws.close(),
  };
}
