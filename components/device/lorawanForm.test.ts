import { describe, expect, it } from 'vitest';
import type { EndDevice } from '../apiTypes';
import {
  createBody,
  hexProblem,
  type LorawanForm,
  lorawanFormOf,
  newLorawanForm,
  updateBody,
} from './lorawanForm';

const KEY = '2B7E151628AED2A6ABF7158809CF4F3C';
const KEY2 = '000102030405060708090A0B0C0D0E0F';
const otaa: EndDevice = {
  ids: { device_id: 'otaa-1', dev_eui: '0004A30B001C0530', join_eui: '70B3D57ED0000000' },
  frequency_plan_id: 'EU_863_870',
  lorawan_version: 'MAC_V1_0_3',
  lorawan_phy_version: 'PHY_V1_0_3_REV_A',
  supports_join: true,
};
const form = (patch: Partial<LorawanForm>) => ({ ...newLorawanForm(), name: '', ...patch });

describe('the device form’s LoRaWAN part', () => {
  it('checks hex as the API does, for the chosen activation only', () => {
    expect(hexProblem(form({ activation: 'otaa', appKey: KEY.slice(1) }))).toBe(
      'AppKey must be 16 bytes of hex (32 hex digits, not 31).',
    );
    expect(hexProblem(form({ activation: 'otaa', appKey: KEY.toLowerCase().replace(/(..)/g, '$1:') }))).toBe(
      undefined,
    );
    expect(hexProblem(form({ activation: 'abp', devAddr: 'XY000000' }))).toBe(
      'DevAddr must be 4 bytes of hex (8 hex digits).',
    );
    expect(hexProblem(form({ activation: 'none', appKey: 'nonsense' }))).toBe(undefined);
  });

  it('creates a device without activation as before, and OTAA / ABP with settings and keys', () => {
    expect(createBody({ device_id: 'd1' }, form({ devEui: '' })).end_device).toEqual({
      ids: { device_id: 'd1', dev_eui: undefined, join_eui: '0000000000000000' },
      name: undefined,
    });
    expect(
      createBody({ device_id: 'd1' }, form({ activation: 'otaa', appKey: KEY.toLowerCase() })),
    ).toMatchObject({
      end_device: {
        supports_join: true,
        frequency_plan_id: 'EU_863_870',
        root_keys: { app_key: { key: KEY } },
      },
    });
    expect(
      createBody(
        { device_id: 'd1' },
        form({ activation: 'abp', devAddr: '260b1234', appSKey: KEY, nwkSKey: KEY2 }),
      ),
    ).toMatchObject({
      end_device: {
        supports_join: false,
        session: { dev_addr: '260B1234', keys: { app_s_key: { key: KEY }, f_nwk_s_int_key: { key: KEY2 } } },
      },
    });
  });

  it('updates with only what changed; keys only once shown or for a new activation', () => {
    const stored = { ...lorawanFormOf(otaa), name: '' };
    expect(updateBody(otaa, undefined, stored)).toBeUndefined();
    expect(
      updateBody(otaa, { appKey: KEY, devAddr: '', appSKey: '', nwkSKey: '' }, { ...stored, appKey: KEY2 }),
    ).toEqual({
      end_device: { root_keys: { app_key: { key: KEY2 } } },
    });
    expect(
      updateBody(otaa, undefined, { ...stored, macVersion: 'MAC_V1_0_4', phyVersion: 'RP002_V1_0_3' }),
    ).toEqual({
      end_device: { lorawan_version: 'MAC_V1_0_4', lorawan_phy_version: 'RP002_V1_0_3' },
    });
    const plain: EndDevice = { ids: { device_id: 'p1' } };
    expect(updateBody(plain, undefined, form({ activation: 'otaa', joinEui: '' }))).toEqual({
      end_device: {
        frequency_plan_id: 'EU_863_870',
        lorawan_version: 'MAC_V1_0_3',
        lorawan_phy_version: 'PHY_V1_0_3_REV_A',
        supports_join: true,
      },
    });
  });
});
