/**
 * The JavaScript formatter sandbox (docs/behaviour.md §7), run inside a pool worker: QuickJS compiled to
 * WebAssembly, so a script sees no host objects (no require, process, fs — nothing is exposed),
 * with a deadline interrupt, a memory limit and a stack limit per script. Each runtime belongs to
 * one scope — application and device — and one script, so globals a script keeps between calls
 * never reach another application or device, even one with the same script text (issue 17
 * item 5: contexts cached per script text carried app2's bytes into app1's decoded_payload).
 * A runtime per call would be stricter still, but costs ~1 ms for a small script and ~3 ms
 * for a 30 KB one, against ~0.03 ms for a kept one (measured here): runtimes are kept, least
 * recently used first out (CACHE_SIZE).
 */
import {
  type QuickJSContext,
  type QuickJSRuntime,
  type QuickJSWASMModule,
  shouldInterruptAfterDeadline,
} from 'quickjs-emscripten';
import { HARNESS } from './harness';
import type { ScriptCall, ScriptLimits, ScriptOutcome } from './protocol';

interface Compiled {
  runtime: QuickJSRuntime;
  context: QuickJSContext;
}

/**
 * Runtimes kept per worker. All of a worker's runtimes share its one WebAssembly memory, which
 * never shrinks, and each may fill its 8 MiB limit with globals: 16 bounds that at 128 MiB per
 * worker, as before scopes. More devices than that per worker with JavaScript formatters means
 * a compile per call (measured here, small script, 2 workers, warm: 15 000–25 000 decodes/s for
 * up to 8 devices, ~4 300/s for 1 000).
 */
const CACHE_SIZE = 16;

const cacheKey = (call: ScriptCall) =>
  `${call.scope.applicationId}\n${call.scope.deviceId ?? ''}\n${call.hash}`;

/** A script failure the sandbox saw; anything else thrown is a broken worker (see worker.ts). */
class ScriptFailure extends Error {
  constructor(
    readonly code: 'formatter_timeout' | 'formatter_memory_limit' | 'script_error',
    message: string,
    readonly line?: number,
  ) {
    super(message);
  }
}

const SCRIPT_FILE = 'formatter.js';

/**
 * Where in the user's script an error arose, for the console editor's mark: QuickJS gives a
 * SyntaxError its `lineNumber`, and any thrown Error a stack of `at fn (file:line:column)`
 * frames; the first frame in the script (not the harness) is the one to show. A thrown
 * non-Error (`throw "x"`) has no position.
 */
function scriptLine(e: { fileName?: string; lineNumber?: number; stack?: string }): number | undefined {
  if (e.fileName === SCRIPT_FILE && typeof e.lineNumber === 'number') return e.lineNumber;
  const frame = typeof e.stack === 'string' ? /formatter\.js:(\d+)/.exec(e.stack) : null;
  return frame ? Number(frame[1]) : undefined;
}

export function createSandbox(module: QuickJSWASMModule, limits: ScriptLimits) {
  const cache = new Map<string, Compiled>();

  const dispose = (c: Compiled) => {
    c.context.dispose();
    c.runtime.dispose();
  };

  /**
   * QuickJS reports its limits as InternalError messages; the rest is the script's own error.
   * Matching QuickJS's message text is deliberate: it has no error code for either limit. Mote's
   * own errors are told apart by name, never by message.
   */
  const failure = (c: Compiled, handle: Parameters<QuickJSContext['dump']>[0]): ScriptFailure => {
    const e = c.context.dump(handle) as
      | { name?: string; message?: string; fileName?: string; lineNumber?: number; stack?: string }
      | string;
    handle.dispose();
    const name = typeof e === 'object' && e ? (e.name ?? 'Error') : 'Error';
    const message = typeof e === 'object' && e ? (e.message ?? '') : String(e);
    if (name === 'InternalError' && message === 'interrupted')
      return new ScriptFailure('formatter_timeout', `script exceeded the ${limits.timeoutMs} ms time limit`);
    if (name === 'InternalError' && message === 'out of memory')
      return new ScriptFailure(
        'formatter_memory_limit',
        `script exceeded the ${limits.memoryBytes} byte memory limit`,
      );
    return new ScriptFailure(
      'script_error',
      `${name}: ${message}`,
      typeof e === 'object' && e ? scriptLine(e) : undefined,
    );
  };

  const arm = (c: Compiled) =>
    c.runtime.setInterruptHandler(shouldInterruptAfterDeadline(Date.now() + limits.timeoutMs));

  function compile(call: ScriptCall): Compiled {
    const runtime = module.newRuntime();
    runtime.setMemoryLimit(limits.memoryBytes);
    runtime.setMaxStackSize(limits.stackBytes);
    const c: Compiled = { runtime, context: runtime.newContext() };
    try {
      arm(c);
      for (const [code, file] of [
        [HARNESS, 'harness.js'],
        [call.script, SCRIPT_FILE],
      ] as const) {
        const r = c.context.evalCode(code, file);
        if (r.error) throw failure(c, r.error);
        r.value.dispose();
      }
    } catch (e) {
      dispose(c);
      throw e;
    }
    return c;
  }

  function compiled(call: ScriptCall): Compiled {
    const key = cacheKey(call);
    const hit = cache.get(key);
    if (hit) {
      cache.delete(key);
      cache.set(key, hit);
      return hit;
    }
    const c = compile(call);
    cache.set(key, c);
    for (const [oldKey, old] of cache) {
      if (cache.size <= CACHE_SIZE) break;
      cache.delete(oldKey);
      dispose(old);
    }
    return c;
  }

  function invoke(c: Compiled, call: ScriptCall): string {
    const { context } = c;
    arm(c);
    const run = context.getProp(context.global, '__moteRun');
    const fn = context.newString(call.fn);
    const input = context.newString(JSON.stringify(call.input));
    const r = context.callFunction(run, context.undefined, fn, input);
    for (const h of [run, fn, input]) h.dispose();
    if (r.error) throw failure(c, r.error);
    const out = context.typeof(r.value) === 'string' ? context.getString(r.value) : '';
    r.value.dispose();
    return out;
  }

  return {
    run(call: ScriptCall): ScriptOutcome {
      let c: Compiled | undefined;
      try {
        // A check before saving: nothing to keep, and it must not push a live script out of the cache.
        if (call.fn === 'compile') {
          dispose(compile(call));
          return { ok: true, output: {} };
        }
        c = compiled(call);
        const text = invoke(c, call);
        if (text.length > limits.maxOutputChars) {
          return {
            ok: false,
            error: {
              name: 'script_invalid_output',
              message: `output exceeds ${limits.maxOutputChars} characters`,
            },
          };
        }
        return { ok: true, output: JSON.parse(text) as unknown };
      } catch (e) {
        if (!(e instanceof ScriptFailure)) throw e;
        // A script stopped at a limit may have left its globals half-built: start it afresh.
        if (c && e.code !== 'script_error') {
          cache.delete(cacheKey(call));
          dispose(c);
        }
        return {
          ok: false,
          error: { name: e.code, message: e.message, ...(e.line === undefined ? {} : { line: e.line }) },
        };
      }
    },
  };
}
