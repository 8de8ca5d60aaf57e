/**
 * The bench's pure pieces (scripts/bench/runs.ts, targets.ts, readme.ts): medians of the runs with
 * min–max, targets judged on the median, and the README's results between its markers.
 */
import { describe, expect, it } from 'vitest';
import { END, replaceResults, resultsBlock, START } from '../scripts/bench/readme';
import { aggregate, median, range } from '../scripts/bench/runs';
import { targets } from '../scripts/bench/targets';

describe('median', () => {
  it('is the middle value, the mean of the middle two for an even count', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
    expect(median([])).toBeNaN();
  });
});

describe('aggregate', () => {
  const runs = [
    { p99_ms: 9, max: 2_000, steps: ['a'], load_average: 0.5 },
    { p99_ms: 3, max: 5_000, steps: ['b'], load_average: 1.5 },
    { p99_ms: 6, max: 1_000, steps: ['c'], load_average: 1 },
  ];

  it('gives each figure its median and min–max, the load average at each run', () => {
    const a = aggregate(runs, 'max');
    expect(a).toMatchObject({ p99_ms: 6, max: 2_000, runs: 3, load_averages: [0.5, 1.5, 1] });
    expect(a.spread).toEqual({ p99_ms: [3, 9], max: [1_000, 5_000] });
    expect(range(a, 'p99_ms', String)).toBe('3–9');
    expect(range(a, 'absent', String)).toBe('—');
  });

  it('takes what is not a number from the run whose primary figure is the median', () => {
    expect(aggregate(runs, 'max').steps).toEqual(['a']);
    expect(aggregate(runs, 'p99_ms').steps).toEqual(['c']);
  });

  it('leaves a failed run out of the figures and says so', () => {
    const a = aggregate(
      [
        { max: 4, load_average: 1 },
        { note: 'failed: boom', load_average: 2 },
      ],
      'max',
    );
    expect(a).toMatchObject({ max: 4, runs: 2, note: '1 of 2 runs failed' });
    const none = aggregate([{ note: 'failed: boom', load_average: 2 }]);
    expect(none.note).toBe('1 of 1 runs failed: failed: boom');
  });
});

describe('targets', () => {
  it('are judged on the median, with the ratio of the medians beside them', () => {
    const runs = (mosquitto: number) =>
      aggregate(
        [1_000, 12_000, 15_000].map((mote) => ({
          mote_max_msgs_per_s: mote,
          mosquitto_max_msgs_per_s: mosquitto,
        })),
        'mote_max_msgs_per_s',
      );
    const row = (fanout: ReturnType<typeof runs>) =>
      targets({ fanout }).find((t) => t.key === 'fanout_throughput');
    expect(row(runs(2_000))).toMatchObject({
      mote: '12,000',
      moteRange: '1,000–15,000',
      mosquitto: '2,000',
      mosquittoRange: '2,000',
      ratio: 6,
      met: true,
    });
    // ≥ 10 000/s, but not 5 × mosquitto.
    expect(row(runs(3_000))).toMatchObject({ ratio: 4, met: false });
  });

  it('cannot tell where a scenario has no figure', () => {
    expect(targets({}).every((t) => t.met === null)).toBe(true);
  });
});

describe('the README results', () => {
  const results = {
    meta: {
      date: '2026-12-02T17:00:00Z',
      mode: 'full',
      runs: 3,
      cpus: '2 × cpu',
      node: 'v20',
      commit: 'abc',
    },
    downlink: aggregate([{ p99_ms: 4, mosquitto_relay_p99_ms: 1, rate: 1_000, load_average: 0.7 }], 'p99_ms'),
  };

  it('has the targets with medians and min–max, what is met in words, and the load at each run', () => {
    const block = resultsBlock(results);
    expect(block).toContain('median of 3 runs');
    expect(block).toContain(
      '| down/push → down/queued p99 at 1,000/s (mosquitto: relaying the pushes) | 4 ms | 4 ms | 1 ms | 1 ms | 4.00 | ≤ 5 ms | yes |',
    );
    expect(block).toMatch(/Targets met on the median: downlink p99\. Not met: none\./);
    expect(block).toContain('| downlink | 1 | 0.70 |  |');
  });

  it('replaces only what lies between the markers', () => {
    const readme = `# Title\n\nbefore\n${START}\nold table\n${END}\nafter\n`;
    const out = replaceResults(readme, 'new table');
    expect(out).toBe(`# Title\n\nbefore\n${START}\n\nnew table\n\n${END}\nafter\n`);
    expect(replaceResults(out, 'newer')).toContain(`${START}\n\nnewer\n\n${END}`);
    expect(() => replaceResults('# no markers', 'x')).toThrow(/markers/);
  });
});
