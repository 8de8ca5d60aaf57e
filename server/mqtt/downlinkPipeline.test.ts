import { describe, expect, it } from 'vitest';
import { DownlinkPipeline } from './downlinkPipeline';

/** An operation the test finishes by hand, and a record of when it started. */
function manual(log: string[], name: string) {
  let finish: (value: string) => void = () => {};
  const op = () => {
    log.push(`start ${name}`);
    return new Promise<string>((resolve) => {
      finish = resolve;
    });
  };
  return { op, finish: (value = name) => finish(value) };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('DownlinkPipeline', () => {
  it('runs operations on different devices at once, and acknowledges in arrival order', async () => {
    const log: string[] = [];
    const p = new DownlinkPipeline(10, (e) => log.push(`failed ${e}`));
    const a = manual(log, 'a');
    const b = manual(log, 'b');
    p.add('dev-1', a.op, (r) => log.push(`ack ${r}`));
    p.add('dev-2', b.op, (r) => log.push(`ack ${r}`));
    expect(log).toEqual(['start a', 'start b']);
    b.finish();
    await turn();
    expect(log).toEqual(['start a', 'start b']);
    a.finish();
    await turn();
    expect(log).toEqual(['start a', 'start b', 'ack a', 'ack b']);
    expect(p.idle).toBe(true);
  });

  it("starts a device's next operation only once its previous one is done", async () => {
    const log: string[] = [];
    const p = new DownlinkPipeline(10, () => {});
    const push = manual(log, 'push');
    const replace = manual(log, 'replace');
    p.add('dev-1', push.op, (r) => log.push(`ack ${r}`));
    p.add('dev-1', replace.op, (r) => log.push(`ack ${r}`));
    await turn();
    expect(log).toEqual(['start push']);
    push.finish();
    await turn();
    expect(log).toEqual(['start push', 'start replace', 'ack push']);
    replace.finish();
    await turn();
    expect(log).toEqual(['start push', 'start replace', 'ack push', 'ack replace']);
  });

  it('an acknowledgement without an operation waits for those in line, and goes at once when none is', async () => {
    const log: string[] = [];
    const p = new DownlinkPipeline(10, () => {});
    p.acknowledge(() => log.push('refused 1'));
    expect(log).toEqual(['refused 1']);
    const a = manual(log, 'a');
    p.add('dev-1', a.op, (r) => log.push(`ack ${r}`));
    p.acknowledge(() => log.push('refused 2'));
    await turn();
    expect(log).toEqual(['refused 1', 'start a']);
    a.finish();
    await turn();
    expect(log).toEqual(['refused 1', 'start a', 'ack a', 'refused 2']);
  });

  it('when full, says so with a promise that settles once a place frees; drained waits for all', async () => {
    const log: string[] = [];
    const p = new DownlinkPipeline(2, () => {});
    const a = manual(log, 'a');
    const b = manual(log, 'b');
    expect(p.add('dev-1', a.op, () => {})).toBeUndefined();
    const full = p.add('dev-2', b.op, () => {});
    expect(full).toBeInstanceOf(Promise);
    let freed = false;
    let drained = false;
    void full?.then(() => {
      freed = true;
    });
    a.finish();
    await turn();
    expect(freed).toBe(true);
    void p.drained().then(() => {
      drained = true;
    });
    await turn();
    expect(drained).toBe(false);
    b.finish();
    await turn();
    expect(drained).toBe(true);
  });

  it('an operation that throws is reported, and the acknowledgements after it still go out', async () => {
    const log: string[] = [];
    const p = new DownlinkPipeline(10, (e) => log.push(`failed ${(e as Error).message}`));
    p.add(
      'dev-1',
      () => Promise.reject(new Error('bug')),
      () => log.push('ack bad'),
    );
    p.add(
      'dev-2',
      () => Promise.resolve('ok'),
      (r) => log.push(`ack ${r}`),
    );
    await turn();
    expect(log).toEqual(['failed bug', 'ack ok']);
    expect(p.idle).toBe(true);
  });
});
