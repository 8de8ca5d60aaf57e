/**
 * `npm run bench -- --write-readme`: the README's results, between two markers, made from the
 * run's results — the targets table (medians, min–max, Mote ÷ mosquitto, met or not), which
 * targets are met in plain words, the load average at each run, and the fan-out steps.
 */
import { RUN_HEAD, runRows, STEP_HEAD, stepRows, verdict } from './report';
import { markdown } from './table';
import { TARGET_HEAD, targetCells, targets } from './targets';

export const START = '<!-- bench:results:start (npm run bench -- --write-readme) -->';
export const END = '<!-- bench:results:end -->';

type Section = Record<string, unknown>;

export function resultsBlock(r: Record<string, Section | undefined>): string {
  const meta = r.meta ?? {};
  const rows = targets(r);
  const runs = Number(meta.runs ?? 1);
  const at = String(meta.date ?? '').slice(0, 10);
  const steps = stepRows(r);
  return [
    `${meta.mode === 'quick' ? 'A **quick** run (short steps: not figures to quote)' : 'A full run'} of ${at} on ${String(meta.cpus ?? '?')}, Node ${String(meta.node ?? '?')}, commit ${String(meta.commit ?? '?')}: every figure is the median of ${runs} run${runs === 1 ? '' : 's'}, min–max beside it; a target is met only when the median meets it. CPU is in % of one core.`,
    '',
    markdown(TARGET_HEAD, rows.map(targetCells)),
    '',
    verdict(rows),
    '',
    'Load average (1 minute) as each run started — anything else running skews every figure:',
    '',
    markdown(RUN_HEAD, runRows(r)),
    ...(steps.length > 0
      ? [
          '',
          "Fan-out and radio steps of each scenario's median run (delivered = sent × 50):",
          '',
          markdown(STEP_HEAD, steps),
        ]
      : []),
  ].join('\n');
}

/** `readme` with what lies between the markers replaced by `block`; the markers must be there. */
export function replaceResults(readme: string, block: string): string {
  const from = readme.indexOf(START);
  const to = readme.indexOf(END);
  if (from < 0 || to < from) throw new Error(`the README has no ${START} … ${END} markers`);
  return `${readme.slice(0, from + START.length)}\n\n${block}\n\n${readme.slice(to)}`;
}
