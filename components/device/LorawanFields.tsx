'use client';

import type { ReactNode } from 'react';
import { MAC_VERSIONS, type MacVersionName, PHY_VERSIONS_FOR } from '@/lib/lorawan/versions';
import { Button, inputClass, Label } from '../ui';
import {
  type Activation,
  FREQUENCY_PLAN_IDS,
  type LorawanForm,
  randomHex,
  VERSION_ID_FIELDS,
  withMacVersion,
} from './lorawanForm';

const ACTIVATIONS: { id: Activation; label: string; hint: string }[] = [
  { id: 'otaa', label: 'OTAA', hint: 'joins with its AppKey' },
  { id: 'abp', label: 'ABP', hint: 'a fixed session' },
  { id: 'none', label: 'None (simulated)', hint: 'the simulator generates keys on its first start' },
];

function HexInput(props: {
  label: string;
  name: string;
  bytes: number;
  value: string;
  onChange: (v: string) => void;
  secret?: boolean;
}) {
  const { label, name, bytes, value, onChange } = props;
  return (
    <Label text={label}>
      <div className="flex gap-1">
        <input
          className={`${inputClass} font-mono`}
          name={name}
          placeholder={`${bytes * 2} hex digits`}
          autoComplete="off"
          spellCheck={false}
          value={value}
          onChange={(e) => onChange(e.target.value.toUpperCase())}
        />
        <Button
          size="sm"
          className="h-[34px]"
          onClick={() => onChange(randomHex(bytes))}
          title={`Generate a random ${label}`}
          data-testid={`generate-${name}`}
        >
          {props.secret ? 'Generate' : '↻'}
        </Button>
      </div>
    </Label>
  );
}

/**
 * Activation, frequency plan, versions, EUIs and keys of a device (TTS console's "LoRaWAN
 * options"). Keys are inputs only when `keys` is null: otherwise `keys` is shown in their place
 * (the edit view's hidden keys and its "Show keys" button).
 */
export function LorawanFields({
  value: f,
  onChange,
  disabledActivations = [],
  keys = null,
}: {
  value: LorawanForm;
  onChange: (f: LorawanForm) => void;
  disabledActivations?: Activation[];
  keys?: ReactNode;
}) {
  const set = (patch: Partial<LorawanForm>) => onChange({ ...f, ...patch });
  const phyVersions = PHY_VERSIONS_FOR[f.macVersion];
  const hex = (
    label: string,
    name: string,
    field: Exclude<keyof LorawanForm, 'versionIds'>,
    bytes: number,
    secret = false,
  ) => (
    <HexInput
      label={label}
      name={name}
      bytes={bytes}
      secret={secret}
      value={f[field]}
      onChange={(v) => set({ [field]: v })}
    />
  );
  return (
    <div className="space-y-3" data-testid="lorawan-fields">
      <fieldset className="flex flex-wrap items-center gap-x-5 gap-y-1 text-sm">
        <legend className="mb-1 text-xs font-medium text-slate-600">Activation mode</legend>
        {ACTIVATIONS.map((a) => (
          <label key={a.id} className="flex items-center gap-1.5" title={a.hint}>
            <input
              type="radio"
              name="activation"
              value={a.id}
              data-testid={`activation-${a.id}`}
              checked={f.activation === a.id}
              disabled={disabledActivations.includes(a.id)}
              onChange={() => set({ activation: a.id })}
            />
            {a.label}
          </label>
        ))}
      </fieldset>
      {f.activation !== 'none' && (
        <div className="grid gap-3 sm:grid-cols-3">
          <Label text="Frequency plan">
            <select
              className={inputClass}
              name="frequency_plan_id"
              value={f.frequencyPlan}
              onChange={(e) => set({ frequencyPlan: e.target.value })}
            >
              {FREQUENCY_PLAN_IDS.map((id) => (
                <option key={id}>{id}</option>
              ))}
            </select>
          </Label>
          <Label text="LoRaWAN version">
            <select
              className={inputClass}
              name="lorawan_version"
              value={f.macVersion}
              onChange={(e) => onChange(withMacVersion(f, e.target.value as MacVersionName))}
            >
              {MAC_VERSIONS.map((v) => (
                <option key={v} value={v}>
                  {v.slice(5).replaceAll('_', '.')}
                </option>
              ))}
            </select>
          </Label>
          <Label text="Regional parameters version">
            <select
              className={`${inputClass} font-mono`}
              name="lorawan_phy_version"
              value={f.phyVersion}
              onChange={(e) => set({ phyVersion: e.target.value })}
            >
              {(phyVersions.includes(f.phyVersion) ? phyVersions : [f.phyVersion, ...phyVersions]).map(
                (v) => (
                  <option key={v}>{v}</option>
                ),
              )}
            </select>
          </Label>
        </div>
      )}
      <div className="grid gap-3 sm:grid-cols-2">
        {hex('DevEUI', 'dev_eui', 'devEui', 8)}
        {hex('JoinEUI', 'join_eui', 'joinEui', 8)}
      </div>
      {f.activation !== 'none' &&
        (keys ?? (
          <div className="grid gap-3 sm:grid-cols-2" data-testid="key-inputs">
            {f.activation === 'otaa' ? (
              hex('AppKey', 'app_key', 'appKey', 16, true)
            ) : (
              <>
                {hex('DevAddr', 'dev_addr', 'devAddr', 4)}
                {hex('AppSKey', 'app_s_key', 'appSKey', 16, true)}
                {hex('NwkSKey', 'nwk_s_key', 'nwkSKey', 16, true)}
              </>
            )}
          </div>
        ))}
      <fieldset className="grid gap-3 sm:grid-cols-5" data-testid="version-ids">
        <legend className="mb-1 text-xs font-medium text-slate-600">
          Version identifiers (carried on every uplink as <code>version_ids</code>)
        </legend>
        {VERSION_ID_FIELDS.map(([field, label]) => (
          <Label key={field} text={label}>
            <input
              className={inputClass}
              name={`version_ids.${field}`}
              maxLength={field.endsWith('_id') && field !== 'band_id' ? 36 : 32}
              value={f.versionIds[field]}
              onChange={(e) => set({ versionIds: { ...f.versionIds, [field]: e.target.value } })}
            />
          </Label>
        ))}
      </fieldset>
    </div>
  );
}
