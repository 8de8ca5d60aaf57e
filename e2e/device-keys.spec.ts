/**
 * The console's device form with LoRaWAN fields (TTS console parity): OTAA and ABP devices with
 * keys generated in the browser, read back from the API with the key field mask; bad keys and
 * API refusals shown with nothing written; stored keys hidden until "Show keys".
 */
import type { Page } from '@playwright/test';
import { apiCall, expect, type Mote, screenshot, test, uniqueEui, uniqueId } from './fixtures';

const MASK = '?field_mask=root_keys,session.keys';

interface DeviceJson {
  ids: { device_id: string; dev_eui?: string; join_eui?: string; dev_addr?: string };
  name?: string;
  frequency_plan_id?: string;
  lorawan_version?: string;
  lorawan_phy_version?: string;
  supports_join?: boolean;
  root_keys?: { app_key: { key: string } };
  session?: { dev_addr: string; keys: { app_s_key: { key: string }; f_nwk_s_int_key: { key: string } } };
}

const input = (page: Page, name: string) => page.locator(`form[data-testid$="-form"] input[name="${name}"]`);

/** Clicks a field's generate button and returns what it put in the field. */
async function generate(page: Page, name: string, digits: number): Promise<string> {
  await page.getByTestId(`generate-${name}`).click();
  const value = await input(page, name).inputValue();
  expect(value).toMatch(new RegExp(`^[0-9A-F]{${digits}}$`));
  return value;
}

async function deviceIds(page: Page, mote: Mote, app: string): Promise<string[]> {
  const r = await apiCall<{ end_devices?: DeviceJson[] }>(
    page,
    mote,
    'GET',
    `/api/v3/applications/${app}/devices`,
  );
  return (r.end_devices ?? []).map((d) => d.ids.device_id);
}

async function newApp(page: Page, mote: Mote, prefix: string): Promise<string> {
  const app = uniqueId(prefix);
  await apiCall(page, mote, 'POST', '/api/v3/applications', {
    application: { ids: { application_id: app } },
  });
  return app;
}

test('create OTAA and ABP devices with generated keys; a bad AppKey or a refusal creates nothing', async ({
  loggedIn: page,
  mote,
}) => {
  const app = await newApp(page, mote, 'keys');
  await page.goto(`${mote.url}/applications/${app}/devices`);
  await page.getByTestId('new-device').click();
  await input(page, 'device_id').fill('otaa-1');
  await page.getByTestId('activation-otaa').check();
  await page.getByTestId('simulate-device').uncheck();
  await page.locator('select[name="lorawan_version"]').selectOption('MAC_V1_0_4');
  await expect(page.locator('select[name="lorawan_phy_version"]')).toHaveValue('RP002_V1_0_3');
  const devEui = await generate(page, 'dev_eui', 16);
  const joinEui = await generate(page, 'join_eui', 16);

  // 31 hex digits: refused in the browser, in the API's terms.
  const appKey = await generate(page, 'app_key', 32);
  await input(page, 'app_key').fill(appKey.slice(1));
  await page.getByTestId('create-device-submit').click();
  await expect(page.getByTestId('form-error')).toHaveText(
    'AppKey must be 16 bytes of hex (32 hex digits, not 31).',
  );
  expect(await deviceIds(page, mote, app)).toEqual([]);

  // No AppKey at all: the API refuses (OTAA needs one) and its message is shown.
  await input(page, 'app_key').fill('');
  await page.getByTestId('create-device-submit').click();
  await expect(page.getByTestId('form-error')).toContainText('end_device.root_keys.app_key.key');
  await expect(page.getByTestId('form-error')).toContainText('required for an OTAA device');
  expect(await deviceIds(page, mote, app)).toEqual([]);

  await input(page, 'app_key').fill(appKey.toLowerCase());
  await screenshot(page, 'device-create-otaa');
  await page.getByTestId('create-device-submit').click();
  await page.waitForURL('**/devices/otaa-1');
  const otaa = await apiCall<DeviceJson>(
    page,
    mote,
    'GET',
    `/api/v3/applications/${app}/devices/otaa-1${MASK}`,
  );
  expect(otaa).toMatchObject({
    ids: { dev_eui: devEui, join_eui: joinEui },
    frequency_plan_id: 'EU_863_870',
    lorawan_version: 'MAC_V1_0_4',
    lorawan_phy_version: 'RP002_V1_0_3',
    supports_join: true,
    root_keys: { app_key: { key: appKey } },
  });

  await page.goto(`${mote.url}/applications/${app}/devices`);
  await page.getByTestId('new-device').click();
  await input(page, 'device_id').fill('abp-1');
  await page.getByTestId('activation-abp').check();
  // The simulator joins over the air: it cannot play an ABP device.
  await expect(page.getByTestId('simulate-device')).toBeDisabled();
  await page.locator('select[name="frequency_plan_id"]').selectOption('US_902_928_FSB_2');
  await page.locator('select[name="lorawan_version"]').selectOption('MAC_V1_0_2');
  await expect(page.locator('select[name="lorawan_phy_version"]')).toHaveValue('PHY_V1_0_2_REV_B');
  const devAddr = await generate(page, 'dev_addr', 8);
  const appSKey = await generate(page, 'app_s_key', 32);
  const nwkSKey = await generate(page, 'nwk_s_key', 32);
  await page.getByTestId('create-device-submit').click();
  await page.waitForURL('**/devices/abp-1');
  const abp = await apiCall<DeviceJson>(
    page,
    mote,
    'GET',
    `/api/v3/applications/${app}/devices/abp-1${MASK}`,
  );
  expect(abp).toMatchObject({
    ids: { dev_addr: devAddr },
    frequency_plan_id: 'US_902_928_FSB_2',
    lorawan_version: 'MAC_V1_0_2',
    lorawan_phy_version: 'PHY_V1_0_2_REV_B',
    supports_join: false,
    session: { dev_addr: devAddr, keys: { app_s_key: { key: appSKey }, f_nwk_s_int_key: { key: nwkSKey } } },
  });
  expect(abp.root_keys).toBeUndefined();
});

test('edit: keys hidden until "Show keys"; a new AppKey is all that is sent; a refusal writes nothing', async ({
  loggedIn: page,
  mote,
}) => {
  const app = await newApp(page, mote, 'keyedit');
  const oldKey = '2B7E151628AED2A6ABF7158809CF4F3C';
  const devEui = uniqueEui();
  await apiCall(page, mote, 'POST', `/api/v3/applications/${app}/devices`, {
    end_device: {
      ids: { device_id: 'otaa-2', dev_eui: devEui, join_eui: '70B3D57ED0000000' },
      frequency_plan_id: 'EU_863_870',
      lorawan_version: 'MAC_V1_0_3',
      lorawan_phy_version: 'PHY_V1_0_3_REV_A',
      root_keys: { app_key: { key: oldKey } },
    },
  });
  const masked: string[] = [];
  page.on('request', (r) => {
    if (r.url().includes('field_mask')) masked.push(r.url());
  });

  await page.goto(`${mote.url}/applications/${app}/devices/otaa-2`);
  await page.getByTestId('device-settings-link').click();
  await page.waitForURL('**/devices/otaa-2/settings');
  await expect(page.getByTestId('activation-otaa')).toBeChecked();
  await expect(page.getByTestId('activation-none')).toBeDisabled();
  await expect(page.locator('select[name="lorawan_version"]')).toHaveValue('MAC_V1_0_3');
  await expect(page.getByTestId('keys-hidden')).toBeVisible();
  await expect(input(page, 'app_key')).toHaveCount(0);
  expect(await page.content()).not.toContain(oldKey);
  expect(masked).toEqual([]);

  await page.getByTestId('show-keys').click();
  await expect(input(page, 'app_key')).toHaveValue(oldKey);
  expect(masked).toHaveLength(1);
  const newKey = await generate(page, 'app_key', 32);
  const put = page.waitForRequest((r) => r.method() === 'PUT');
  await page.getByTestId('settings-submit').click();
  expect((await put).postDataJSON()).toEqual({ end_device: { root_keys: { app_key: { key: newKey } } } });
  await expect(page.getByTestId('settings-saved')).toBeVisible();
  await expect(page.getByTestId('keys-hidden')).toBeVisible();
  const after = await apiCall<DeviceJson>(
    page,
    mote,
    'GET',
    `/api/v3/applications/${app}/devices/otaa-2${MASK}`,
  );
  expect(after).toMatchObject({
    ids: { dev_eui: devEui, join_eui: '70B3D57ED0000000' },
    lorawan_version: 'MAC_V1_0_3',
    supports_join: true,
    root_keys: { app_key: { key: newKey } },
  });

  // A device without keys turned OTAA without an AppKey: the API's refusal, nothing written.
  await apiCall(page, mote, 'POST', `/api/v3/applications/${app}/devices`, {
    end_device: { ids: { device_id: 'plain-1', dev_eui: uniqueEui() } },
  });
  await page.goto(`${mote.url}/applications/${app}/devices/plain-1/settings`);
  await expect(page.getByTestId('activation-none')).toBeChecked();
  await page.getByTestId('activation-otaa').check();
  await expect(input(page, 'app_key')).toHaveValue('');
  await page.getByTestId('settings-submit').click();
  await expect(page.getByTestId('form-error')).toContainText('needs `root_keys.app_key.key`');
  await screenshot(page, 'device-settings-refused');
  const plain = await apiCall<DeviceJson>(
    page,
    mote,
    'GET',
    `/api/v3/applications/${app}/devices/plain-1${MASK}`,
  );
  expect(plain.supports_join).toBeUndefined();
  expect(plain.frequency_plan_id).toBeUndefined();
  expect(plain.root_keys).toBeUndefined();
});

test('version identifiers: set on create, changed and cleared in settings under the version_ids field mask', async ({
  loggedIn: page,
  mote,
}) => {
  const app = await newApp(page, mote, 'versions');
  await page.goto(`${mote.url}/applications/${app}/devices`);
  await page.getByTestId('new-device').click();
  await input(page, 'device_id').fill('node-1');
  await page.getByTestId('simulate-device').uncheck();
  await input(page, 'version_ids.brand_id').fill('the-things-industries');
  await input(page, 'version_ids.model_id').fill('generic-node');
  await input(page, 'version_ids.firmware_version').fill('1.0');
  await page.getByTestId('create-device-submit').click();
  await page.waitForURL(`**/applications/${app}/devices/node-1`);
  const path = `/api/v3/applications/${app}/devices/node-1`;
  expect((await apiCall<{ version_ids?: unknown }>(page, mote, 'GET', path)).version_ids).toEqual({
    brand_id: 'the-things-industries',
    model_id: 'generic-node',
    firmware_version: '1.0',
  });

  await page.goto(`${mote.url}/applications/${app}/devices/node-1/settings`);
  await expect(input(page, 'version_ids.model_id')).toHaveValue('generic-node');
  await input(page, 'version_ids.firmware_version').fill('2.0');
  await input(page, 'version_ids.model_id').fill('');
  const put = page.waitForRequest((r) => r.method() === 'PUT');
  await page.getByTestId('settings-submit').click();
  expect((await put).postDataJSON()).toEqual({
    end_device: { version_ids: { brand_id: 'the-things-industries', firmware_version: '2.0' } },
    field_mask: { paths: ['version_ids'] },
  });
  await expect(page.getByTestId('settings-saved')).toBeVisible();
  expect((await apiCall<{ version_ids?: unknown }>(page, mote, 'GET', path)).version_ids).toEqual({
    brand_id: 'the-things-industries',
    firmware_version: '2.0',
  });

  // A brand the API refuses: its message is shown and nothing is written.
  await input(page, 'version_ids.brand_id').fill('Not An ID');
  await page.getByTestId('settings-submit').click();
  await expect(page.getByTestId('form-error')).toContainText('version_ids.brand_id');
  expect((await apiCall<{ version_ids?: unknown }>(page, mote, 'GET', path)).version_ids).toEqual({
    brand_id: 'the-things-industries',
    firmware_version: '2.0',
  });
});
