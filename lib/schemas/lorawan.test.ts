import { describe, expect, it } from 'vitest';
import { parseWith } from '../validation';
import { createDeviceRequest } from './applications';
import { aesKeySchema, frequencyPlanSchema, macVersionSchema, phyVersionSchema } from './lorawan';

describe('LoRaWAN device fields (issue 12)', () => {
  it('takes MAC versions as TTS names them and as ttn-lw-cli does', () => {
    for (const v of ['MAC_V1_0_3', '1.0.3', 'v1_0_3', 'mac_v1_0_3'])
      expect(macVersionSchema.parse(v)).toBe('MAC_V1_0_3');
    expect(macVersionSchema.parse('1.0.2')).toBe('MAC_V1_0_2');
    for (const v of ['1.1', '1.1.0', 'MAC_V1_1', ''])
      expect(macVersionSchema.safeParse(v).success).toBe(false);
  });

  it('takes PHY versions with their RP001 aliases and short forms', () => {
    for (const v of ['PHY_V1_0_3_REV_A', 'RP001_V1_0_3_REV_A', '1.0.3-a'])
      expect(phyVersionSchema.parse(v)).toBe('PHY_V1_0_3_REV_A');
    expect(phyVersionSchema.parse('rp002-1.0.1')).toBe('RP002_V1_0_1');
    expect(phyVersionSchema.safeParse('1.1-a').success).toBe(false);
  });

  it('knows the frequency plans of lib/bands only', () => {
    expect(frequencyPlanSchema.parse('EU_863_870')).toBe('EU_863_870');
    expect(frequencyPlanSchema.parse('US_902_928_FSB_2')).toBe('US_902_928_FSB_2');
    expect(frequencyPlanSchema.safeParse('eu_863_870').success).toBe(false);
    expect(frequencyPlanSchema.safeParse('toString').success).toBe(false);
  });

  it('takes 16-byte keys in any hex spelling and writes them upper case', () => {
    expect(aesKeySchema.parse('2b:7e:15:16:28:ae:d2:a6:ab:f7:15:88:09:cf:4f:3c')).toBe(
      '2B7E151628AED2A6ABF7158809CF4F3C',
    );
    for (const v of ['00', 'G'.repeat(32), '00'.repeat(17)])
      expect(aesKeySchema.safeParse(v).success).toBe(false);
  });

  it('names what a new device with keys lacks', () => {
    const fieldOf = (end_device: Record<string, unknown>) => {
      try {
        parseWith(createDeviceRequest, { end_device: { ids: { device_id: 'dev1' }, ...end_device } });
        return 'ok';
      } catch (e) {
        return (e as { attributes: { field?: string } }).attributes.field;
      }
    };
    const key = { key: '00'.repeat(16) };
    expect(fieldOf({})).toBe('ok');
    expect(fieldOf({ root_keys: { app_key: key } })).toBe('end_device.frequency_plan_id');
    expect(
      fieldOf({ root_keys: { app_key: key }, frequency_plan_id: 'EU_863_870', lorawan_version: '1.0.3' }),
    ).toBe('end_device.ids.dev_eui');
    expect(fieldOf({ supports_join: false, frequency_plan_id: 'EU_863_870', lorawan_version: '1.0.3' })).toBe(
      'end_device.session.dev_addr',
    );
    expect(fieldOf({ supports_join: true, frequency_plan_id: 'EU_863_870', lorawan_version: '1.0.3' })).toBe(
      'end_device.root_keys.app_key.key',
    );
    expect(
      fieldOf({
        frequency_plan_id: 'EU_863_870',
        lorawan_version: '1.0.3',
        session: { dev_addr: '260B1234', keys: { app_s_key: key, f_nwk_s_int_key: key } },
      }),
    ).toBe('ok');
  });
});
