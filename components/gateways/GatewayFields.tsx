'use client';

import { FREQUENCY_PLANS } from '@/lib/bands/plans';
import type { Gateway } from '../apiTypes';
import { inputClass, Label } from '../ui';

/** What the form edits, as typed: numbers stay text until sent, so the API names a bad one. */
export interface GatewayDraft {
  id: string;
  eui: string;
  name: string;
  description: string;
  plan: string;
  latitude: string;
  longitude: string;
  altitude: string;
}

export const PLAN_IDS = Object.keys(FREQUENCY_PLANS);

export function draftOf(g?: Gateway): GatewayDraft {
  const l = g?.antennas?.[0]?.location;
  return {
    id: g?.ids.gateway_id ?? '',
    eui: g?.ids.eui ?? '',
    name: g?.name ?? '',
    description: g?.description ?? '',
    plan: g?.frequency_plan_id ?? PLAN_IDS[0] ?? '',
    latitude: l ? String(l.latitude) : '',
    longitude: l ? String(l.longitude) : '',
    altitude: l?.altitude === undefined ? '' : String(l.altitude),
  };
}

const num = (s: string) => (s.trim() === '' ? undefined : Number.isNaN(Number(s)) ? s : Number(s));

/** TTS's `antennas`: none when every location field is empty (an update then clears it). */
export function antennasOf(d: GatewayDraft) {
  if ([d.latitude, d.longitude, d.altitude].every((s) => s.trim() === '')) return undefined;
  return [
    { location: { latitude: num(d.latitude), longitude: num(d.longitude), altitude: num(d.altitude) } },
  ];
}

/** The inputs shared by "Add gateway" and the details' edit form; the ID and EUI only when adding. */
export function GatewayFields({
  draft,
  onChange,
  creating,
}: {
  draft: GatewayDraft;
  onChange: (d: GatewayDraft) => void;
  creating: boolean;
}) {
  const field = (key: keyof GatewayDraft) => ({
    name: key,
    value: draft[key],
    onChange: (e: { target: { value: string } }) => onChange({ ...draft, [key]: e.target.value }),
  });
  return (
    <div className="grid gap-3 sm:grid-cols-3">
      {creating && (
        <>
          <Label text="Gateway ID" hint="lowercase letters, digits and dashes; 3–36 characters">
            <input className={`${inputClass} font-mono`} {...field('id')} required />
          </Label>
          <Label text="Gateway EUI" hint="8 bytes of hex, as the packet forwarder sends it">
            <input className={`${inputClass} font-mono`} {...field('eui')} required />
          </Label>
        </>
      )}
      <Label text="Name">
        <input className={inputClass} {...field('name')} maxLength={50} />
      </Label>
      <Label text="Frequency plan">
        <select className={inputClass} {...field('plan')}>
          {PLAN_IDS.map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </select>
      </Label>
      <div className="sm:col-span-2">
        <Label text="Description">
          <input className={inputClass} {...field('description')} maxLength={2000} />
        </Label>
      </div>
      <Label text="Latitude" hint="−90 to 90; leave the location empty for none">
        <input className={`${inputClass} font-mono`} inputMode="decimal" {...field('latitude')} />
      </Label>
      <Label text="Longitude" hint="−180 to 180">
        <input className={`${inputClass} font-mono`} inputMode="decimal" {...field('longitude')} />
      </Label>
      <Label text="Altitude" hint="whole metres, optional">
        <input className={`${inputClass} font-mono`} inputMode="numeric" {...field('altitude')} />
      </Label>
    </div>
  );
}
