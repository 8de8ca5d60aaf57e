import { describe, expect, it } from 'vitest';
import { createFairQueue } from './fairQueue';

describe('fair queue of formatter jobs', () => {
  it('takes one job per application in turn, however many one application queued', () => {
    const q = createFairQueue<string>(100);
    for (let i = 0; i < 5; i++) q.push('flood', `f${i}`);
    q.push('quiet', 'q0');
    q.push('other', 'o0');
    expect([q.shift(), q.shift(), q.shift(), q.shift(), q.shift()]).toEqual(['f0', 'q0', 'o0', 'f1', 'f2']);
  });

  it('refuses past the per-application cap without touching other applications', () => {
    const q = createFairQueue<string>(2);
    expect([q.push('a', '1'), q.push('a', '2'), q.push('a', '3'), q.push('b', '1')]).toEqual([
      true,
      true,
      false,
      true,
    ]);
  });

  it('drains the matching jobs of one application only', () => {
    const q = createFairQueue<string>(10);
    q.push('a', 'bad1');
    q.push('a', 'good');
    q.push('b', 'bad2');
    expect(q.drain('a', (j) => j.startsWith('bad'))).toEqual(['bad1']);
    expect(q.clear()).toEqual(['good', 'bad2']);
    expect(q.shift()).toBeUndefined();
  });
});
