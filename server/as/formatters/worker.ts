/**
 * A formatter pool worker: one QuickJS module, one script at a time. Anything thrown that is
 * not a script's own failure (a WebAssembly trap, a dispose assertion) means this worker's
 * QuickJS state is no longer trustworthy: answer, then exit and let the pool start a new one.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { newQuickJSWASMModule } from 'quickjs-emscripten';
import type { FromWorker, ScriptLimits, ToWorker } from './protocol';
import { createSandbox } from './sandbox';

const WARM_UP =
  'function decodeUplink(i) { return { data: { v: i.bytes.map(function (b) { return b * 2; }) } }; }';

const port = parentPort;
if (!port) throw new Error('formatter worker must run in a worker thread');

const sandbox = createSandbox(await newQuickJSWASMModule(), workerData as ScriptLimits);
// The first runs compile QuickJS's WebAssembly hot paths (hundreds of ms): do that before
// taking work, so it does not count against the first script's time limit.
for (let i = 0; i < 3; i++)
  sandbox.run({
    scope: { applicationId: '' },
    hash: 'warm-up',
    script: WARM_UP,
    fn: 'decodeUplink',
    input: { bytes: [1, 2], fPort: 1 },
  });
const send = (m: FromWorker) => port.postMessage(m);

port.on('message', (m: ToWorker) => {
  if (m.type !== 'run') return;
  try {
    send({ type: 'result', id: m.id, outcome: sandbox.run(m.call) });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    send({ type: 'result', id: m.id, outcome: { ok: false, error: { name: 'formatter_crashed', message } } });
    process.exit(1);
  }
});
// After a turn of the event loop: sent at once, the first job waited ~1 s behind module loading.
setTimeout(() => send({ type: 'ready' }), 0);
