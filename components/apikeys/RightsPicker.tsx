'use client';

import { RIGHT_DESCRIPTIONS, rightName } from '@/lib/rightLabels';
import { APPLICATION_RIGHTS } from '@/lib/rights';

const ALL = 'RIGHT_APPLICATION_ALL';

export const PRESETS = {
  mqtt: {
    label: 'MQTT (read traffic + write downlinks)',
    rights: ['RIGHT_APPLICATION_TRAFFIC_READ', 'RIGHT_APPLICATION_TRAFFIC_DOWN_WRITE'],
  },
  all: { label: 'All rights (current and future)', rights: ['RIGHT_APPLICATION_ALL'] },
} as const;
export type Preset = keyof typeof PRESETS | 'custom';

export const presetOf = (rights: readonly string[]): Preset => {
  for (const [name, p] of Object.entries(PRESETS) as [
    keyof typeof PRESETS,
    (typeof PRESETS)[keyof typeof PRESETS],
  ][]) {
    if (p.rights.length === rights.length && p.rights.every((r) => rights.includes(r))) return name;
  }
  return 'custom';
};

export function RightsPicker({
  rights,
  onChange,
}: {
  rights: readonly string[];
  onChange: (r: string[]) => void;
}) {
  const preset = presetOf(rights);
  return (
    <fieldset className="space-y-2">
      <legend className="text-xs font-medium text-slate-600">Rights</legend>
      <div className="flex flex-wrap gap-4 text-sm">
        {(Object.keys(PRESETS) as (keyof typeof PRESETS)[]).map((name) => (
          <label key={name} className="flex items-center gap-1.5">
            <input
              type="radio"
              name="preset"
              data-testid={`preset-${name}`}
              checked={preset === name}
              onChange={() => onChange([...PRESETS[name].rights])}
            />
            {PRESETS[name].label}
          </label>
        ))}
        <label className="flex items-center gap-1.5 text-slate-600">
          <input
            type="radio"
            name="preset"
            checked={preset === 'custom'}
            readOnly
            disabled={preset !== 'custom'}
          />
          Custom
        </label>
      </div>
      {/* "all" stands for every right, so it is chosen alone: the others show as included. */}
      <div className="grid gap-x-4 gap-y-1.5 rounded-md border border-slate-200 p-3 sm:grid-cols-2 lg:grid-cols-3">
        {APPLICATION_RIGHTS.map((r) => {
          const all = rights.includes(ALL);
          const included = all && r !== ALL;
          return (
            <label key={r} className="flex items-start gap-2 text-xs">
              <input
                type="checkbox"
                className="mt-0.5"
                data-testid={`right-${r}`}
                checked={rights.includes(r) || included}
                disabled={included}
                onChange={(e) =>
                  onChange(
                    r === ALL
                      ? e.target.checked
                        ? [ALL]
                        : []
                      : e.target.checked
                        ? [...rights, r]
                        : rights.filter((x) => x !== r),
                  )
                }
              />
              <span>
                <span className="block text-slate-800">{RIGHT_DESCRIPTIONS[r]}</span>
                <span className="font-mono text-[11px] text-slate-600">{rightName(r)}</span>
              </span>
            </label>
          );
        })}
      </div>
    </fieldset>
  );
}
