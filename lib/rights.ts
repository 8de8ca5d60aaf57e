/** Application rights of TTS (docs/behaviour.md §2), with the `RIGHT_` prefix as in its JSON. */
export const APPLICATION_RIGHTS = [
  'RIGHT_APPLICATION_INFO',
  'RIGHT_APPLICATION_SETTINGS_BASIC',
  'RIGHT_APPLICATION_SETTINGS_API_KEYS',
  'RIGHT_APPLICATION_SETTINGS_COLLABORATORS',
  'RIGHT_APPLICATION_SETTINGS_PACKAGES',
  'RIGHT_APPLICATION_DELETE',
  'RIGHT_APPLICATION_DEVICES_READ',
  'RIGHT_APPLICATION_DEVICES_WRITE',
  'RIGHT_APPLICATION_DEVICES_READ_KEYS',
  'RIGHT_APPLICATION_DEVICES_WRITE_KEYS',
  'RIGHT_APPLICATION_TRAFFIC_READ',
  'RIGHT_APPLICATION_TRAFFIC_UP_WRITE',
  'RIGHT_APPLICATION_TRAFFIC_DOWN_WRITE',
  'RIGHT_APPLICATION_LINK',
  'RIGHT_APPLICATION_ALL',
] as const;

export type Right = (typeof APPLICATION_RIGHTS)[number];

/** Rights that stand for others; `_ALL` means every right, including ones added later. */
const IMPLIED: Partial<Record<Right, readonly Right[]>> = {
  RIGHT_APPLICATION_LINK: [
    'RIGHT_APPLICATION_INFO',
    'RIGHT_APPLICATION_TRAFFIC_READ',
    'RIGHT_APPLICATION_TRAFFIC_DOWN_WRITE',
  ],
  RIGHT_APPLICATION_ALL: APPLICATION_RIGHTS,
};

export const isRight = (s: string): s is Right => (APPLICATION_RIGHTS as readonly string[]).includes(s);

/** Accepts `RIGHT_APPLICATION_INFO` and `APPLICATION_INFO`; returns undefined if unknown. */
export function parseRight(s: string): Right | undefined {
  const upper = s.trim().toUpperCase();
  const name = upper.startsWith('RIGHT_') ? upper : `RIGHT_${upper}`;
  return isRight(name) ? name : undefined;
}

/** Every right a set of granted rights confers. */
export function expandRights(rights: readonly Right[]): Set<Right> {
  const out = new Set<Right>();
  for (const r of rights) {
    out.add(r);
    for (const implied of IMPLIED[r] ?? []) out.add(implied);
  }
  return out;
}

/** The expanded set is not built: this runs at every MQTT CONNECT, `_ALL` stands for 15 rights. */
export function hasRights(granted: readonly Right[], ...required: Right[]): boolean {
  return required.every((r) => granted.some((g) => g === r || IMPLIED[g]?.includes(r)));
}

/** The rights a caller lacks to grant `wanted` (docs/behaviour.md §2: you can only grant what you hold). */
export function missingRights(granted: readonly Right[], wanted: readonly Right[]): Right[] {
  const have = expandRights(granted);
  return [...expandRights(wanted)].filter((r) => !have.has(r));
}

/**
 * The rights a change from `before` to `after` adds or removes. As in TTS, changing a key's
 * rights needs every right added and every right removed, so a lesser key cannot strip a
 * stronger one down to its own level.
 */
export function changedRights(before: readonly Right[], after: readonly Right[]): Right[] {
  const was = expandRights(before);
  const will = expandRights(after);
  return [...[...will].filter((r) => !was.has(r)), ...[...was].filter((r) => !will.has(r))];
}

/** `RIGHT_APPLICATION_TRAFFIC_READ` → `--right-application-traffic-read` (ttn-lw-cli's flags). */
export const rightFlag = (r: Right) => `--${r.toLowerCase().replaceAll('_', '-')}`;
