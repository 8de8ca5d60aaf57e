import type { Page } from '@playwright/test';
import { apiCall, expect, type Mote, test, uniqueId } from './fixtures';

/** Issue 16: editing and deleting applications and devices, the device list, duplicate EUIs. */
const input = (page: Page, name: string) => page.locator(`form[data-testid$="-form"] [name="${name}"]`);
const eui = (n: number) => `70B3D57ED1${n.toString(16).toUpperCase().padStart(6, '0')}`;

async function newApp(page: Page, mote: Mote, prefix: string) {
  const app = uniqueId(prefix);
  await apiCall(page, mote, 'POST', '/api/v3/applications', {
    application: { ids: { application_id: app } },
  });
  return app;
}

test('edit an application: name and description saved and shown', async ({ loggedIn: page, mote }) => {
  const app = await newApp(page, mote, 'appedit');
  await page.goto(`${mote.url}/applications/${app}`);
  await page.getByTestId('tab-settings').click();
  await page.waitForURL(`**/applications/${app}/settings`);
  await input(page, 'name').fill('Greenhouse');
  await input(page, 'description').fill('Sensors in bay 3');
  await page.getByTestId('app-settings-submit').click();
  await expect(page.getByTestId('settings-saved')).toBeVisible();
  await expect(page.getByTestId('app-name')).toHaveText('Greenhouse');
  const stored = await apiCall<{ name: string; description: string }>(
    page,
    mote,
    'GET',
    `/api/v3/applications/${app}`,
  );
  expect(stored).toMatchObject({ name: 'Greenhouse', description: 'Sensors in bay 3' });

  // Deleting from its settings asks for the ID, as TTS, then goes back to the list.
  await page.getByTestId('delete-application').click();
  await expect(page.getByTestId('confirm-ok')).toBeDisabled();
  await page.getByTestId('confirm-type').fill(app);
  await page.getByTestId('confirm-ok').click();
  await page.waitForURL(`${mote.url}/`);
  await expect(page.getByTestId('app-row').filter({ hasText: app })).toHaveCount(0);
});

test('edit a device (name, description, EUIs, version IDs), then delete it from its page', async ({
  loggedIn: page,
  mote,
}) => {
  const app = await newApp(page, mote, 'devedit');
  const devices = `/api/v3/applications/${app}/devices`;
  await apiCall(page, mote, 'POST', devices, {
    end_device: { ids: { device_id: 'meter-1', dev_eui: eui(1), join_eui: '0000000000000000' } },
  });
  await page.goto(`${mote.url}/applications/${app}/devices/meter-1/settings`);
  await input(page, 'name').fill('Water meter');
  await input(page, 'description').fill('Basement, left of the boiler');
  await input(page, 'dev_eui').fill(eui(2).toLowerCase());
  await input(page, 'version_ids.brand_id').fill('acme');
  await page.getByTestId('settings-submit').click();
  await expect(page.getByTestId('settings-saved')).toBeVisible();
  expect(await apiCall(page, mote, 'GET', `${devices}/meter-1`)).toMatchObject({
    ids: { dev_eui: eui(2) },
    name: 'Water meter',
    description: 'Basement, left of the boiler',
    version_ids: { brand_id: 'acme' },
  });

  await page.goto(`${mote.url}/applications/${app}/devices/meter-1`);
  await page.getByTestId('delete-device').click();
  await page.getByTestId('confirm-cancel').click();
  await page.getByTestId('delete-device').click();
  await page.getByTestId('confirm-ok').click();
  await page.waitForURL(`**/applications/${app}/devices`);
  await expect(page.getByTestId('device-count')).toHaveText('0 devices');
  const left = await apiCall<{ end_devices?: unknown[] }>(page, mote, 'GET', devices);
  expect(left.end_devices ?? []).toHaveLength(0);
});

test('a second device with taken EUIs is refused in the form, with the message; nothing is created', async ({
  loggedIn: page,
  mote,
}) => {
  const app = await newApp(page, mote, 'dupeui');
  await apiCall(page, mote, 'POST', `/api/v3/applications/${app}/devices`, {
    end_device: { ids: { device_id: 'sensor-1', dev_eui: eui(3), join_eui: '70B3D57ED0000000' } },
  });
  await page.goto(`${mote.url}/applications/${app}/devices`);
  await page.getByTestId('new-device').click();
  await input(page, 'device_id').fill('sensor-2');
  await page.getByTestId('simulate-device').uncheck();
  await input(page, 'dev_eui').fill(eui(3));
  await input(page, 'join_eui').fill('70B3D57ED0000000');
  await page.getByTestId('create-device-submit').click();
  await expect(page.getByTestId('form-error')).toContainText(
    `an end device with JoinEUI \`70B3D57ED0000000\` and DevEUI \`${eui(3)}\` is already registered as \`sensor-1\` in application \`${app}\``,
  );
  const list = await apiCall<{ end_devices: { ids: { device_id: string } }[] }>(
    page,
    mote,
    'GET',
    `/api/v3/applications/${app}/devices`,
  );
  expect(list.end_devices.map((d) => d.ids.device_id)).toEqual(['sensor-1']);
});

test('device list of 300: search, sort, pages; bulk simulator start/stop and bulk delete', async ({
  loggedIn: page,
  mote,
}) => {
  const app = await newApp(page, mote, 'fleet');
  const ids = Array.from({ length: 300 }, (_, i) => `dev-${String(i).padStart(4, '0')}`);
  for (let i = 0; i < ids.length; i += 25)
    await Promise.all(
      ids.slice(i, i + 25).map((id, j) =>
        apiCall(page, mote, 'POST', `/api/v3/applications/${app}/devices`, {
          end_device: {
            ids: { device_id: id, dev_eui: eui(0x1000 + i + j), join_eui: '0000000000000000' },
            name: `Meter ${i + j}`,
          },
        }),
      ),
    );
  // The browser holds one page: every list read asks the server for 50 rows at most.
  const listReads: { url: string; rows: number }[] = [];
  page.on('response', async (r) => {
    const url = new URL(r.url());
    if (url.pathname !== `/api/v3/applications/${app}/devices` || r.request().method() !== 'GET') return;
    const body = (await r.json().catch(() => ({}))) as { end_devices?: unknown[] };
    listReads.push({ url: url.search, rows: body.end_devices?.length ?? 0 });
  });
  await page.goto(`${mote.url}/applications/${app}/devices`);
  const count = page.getByTestId('device-count');
  const firstId = page.getByTestId('device-link').first();
  await expect(count).toHaveText('1–50 of 300 devices');
  await expect(page.getByTestId('device-row')).toHaveCount(50);
  await expect(page.getByTestId('status-dot').first()).toHaveAttribute('aria-label', 'never seen');
  await page.getByTestId('page-next').click();
  await expect(count).toHaveText('51–100 of 300 devices');
  await expect(firstId).toHaveText('dev-0050');
  await expect.poll(() => listReads.some((r) => r.url.includes('page=2'))).toBe(true);
  for (const r of listReads) {
    expect(r.url).toContain('limit=50');
    expect(r.rows).toBeLessThanOrEqual(50);
  }

  await page.getByTestId('sort-device_id').click();
  await expect(firstId).toHaveText('dev-0299');
  await expect(page.getByTestId('page-of')).toHaveText('Page 1 of 6');

  await page.getByTestId('device-search').fill(eui(0x1000 + 123).toLowerCase());
  await expect(count).toHaveText('1–1 of 1 devices');
  await expect(firstId).toHaveText('dev-0123');
  await page.getByTestId('device-search').fill('meter 2');
  await expect(page.getByTestId('device-row')).toHaveCount(50);

  // Ten devices ticked through "select page": simulators on and off, then deleted.
  await page.getByTestId('device-search').fill('dev-001');
  await expect(count).toHaveText('1–10 of 10 devices');
  await page.getByTestId('select-page').check();
  await expect(page.getByTestId('selected-count')).toHaveText('10 selected');
  await page.getByTestId('bulk-sim-start').click();
  await expect(page.getByTestId('bulk-outcome')).toHaveText('Started the simulator of 10 devices.');
  const sim = await apiCall<{ running: boolean }>(
    page,
    mote,
    'GET',
    `/api/v3/sim/applications/${app}/devices/dev-0013`,
  );
  expect(sim.running).toBe(true);
  await page.getByTestId('bulk-sim-stop').click();
  await expect(page.getByTestId('bulk-outcome')).toHaveText('Stopped the simulator of 10 devices.');
  await page.getByTestId('bulk-delete').click();
  await expect(page.getByTestId('confirm-dialog')).toContainText('dev-0010, dev-0011');
  await page.getByTestId('confirm-ok').click();
  await expect(page.getByTestId('bulk-outcome')).toHaveText('Deleted 10 devices.');
  await expect(count).toHaveText('0 devices');
  await page.getByTestId('device-search').fill('');
  await expect(count).toHaveText('1–50 of 290 devices');
  const left = await apiCall<{ end_devices: unknown[] }>(
    page,
    mote,
    'GET',
    `/api/v3/applications/${app}/devices`,
  );
  expect(left.end_devices).toHaveLength(290);
});

/** Every GET of the application's device list the browser sends, by its query string. */
function deviceListReads(page: Page, app: string): URLSearchParams[] {
  const reads: URLSearchParams[] = [];
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (url.pathname === `/api/v3/applications/${app}/devices` && r.method() === 'GET')
      reads.push(url.searchParams);
  });
  return reads;
}

async function devices(page: Page, mote: Mote, app: string, ids: string[], firstEui: number) {
  await Promise.all(
    ids.map((id, i) =>
      apiCall(page, mote, 'POST', `/api/v3/applications/${app}/devices`, {
        end_device: { ids: { device_id: id, dev_eui: eui(firstEui + i), join_eui: '0000000000000000' } },
      }),
    ),
  );
}

test('device search: typed a key at a time, the server is asked once per pause, and finds the device', async ({
  loggedIn: page,
  mote,
}) => {
  const app = await newApp(page, mote, 'search');
  await devices(page, mote, app, ['meter-1', 'meter-2', 'pump-7', 'valve-3'], 0x2000);
  await page.goto(`${mote.url}/applications/${app}/devices`);
  await expect(page.getByTestId('device-count')).toHaveText('1–4 of 4 devices');
  const reads = deviceListReads(page, app);

  const typed = 'pump-7';
  await page.getByTestId('device-search').pressSequentially(typed);
  await expect(page.getByTestId('device-count')).toHaveText('1–1 of 1 devices');
  await expect(page.getByTestId('device-link')).toHaveText(['pump-7']);
  const searches = reads.map((r) => r.get('search')).filter((s) => s !== null);
  // One read per pause in typing (the keys here come without one), not one per key.
  expect(searches.length).toBeGreaterThanOrEqual(1);
  expect(searches.length).toBeLessThan(typed.length);
  expect(searches.at(-1)).toBe(typed);
});

test('the application overview shows its devices a page at a time, never the whole fleet', async ({
  loggedIn: page,
  mote,
}) => {
  const app = await newApp(page, mote, 'overview');
  const ids = Array.from({ length: 23 }, (_, i) => `node-${String(i).padStart(2, '0')}`);
  await devices(page, mote, app, ids, 0x3000);
  const reads = deviceListReads(page, app);
  await page.goto(`${mote.url}/applications/${app}`);
  const table = page.getByTestId('device-table');
  await expect(page.getByText('End devices (23)')).toBeVisible();
  await expect(table.getByTestId('device-row')).toHaveCount(10);
  await expect(page.getByTestId('device-count')).toHaveText('1–10 of 23 devices');
  await page.getByTestId('page-next').click();
  await expect(page.getByTestId('device-count')).toHaveText('11–20 of 23 devices');
  await expect(table.getByTestId('device-link').first()).toHaveText('node-10');
  await page.getByTestId('page-next').click();
  await expect(page.getByTestId('device-count')).toHaveText('21–23 of 23 devices');
  await expect(table.getByTestId('device-link')).toHaveText(['node-20', 'node-21', 'node-22']);
  await expect(page.getByTestId('page-next')).toBeDisabled();
  // Every read the browser made asked for one page of ten.
  expect(reads.length).toBeGreaterThanOrEqual(2);
  for (const r of reads) expect(r.get('limit')).toBe('10');
});

test('buttons say what they are doing while a request is in flight: saving, deleting', async ({
  loggedIn: page,
  mote,
}) => {
  const app = await newApp(page, mote, 'apppending');
  await page.goto(`${mote.url}/applications/${app}/settings`);
  // Each request is held at the network until the button has been seen: a state, not a race.
  const hold = async (method: string) => {
    let release = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    await page.route(`**/api/v3/applications/${app}`, async (route) => {
      if (route.request().method() === method) await held;
      await route.continue();
    });
    return release;
  };

  const releaseSave = await hold('PUT');
  await input(page, 'name').fill('Held');
  await page.getByTestId('app-settings-submit').click();
  await expect(page.getByTestId('app-settings-submit')).toHaveText('Saving…');
  await expect(page.getByTestId('app-settings-submit')).toBeDisabled();
  releaseSave();
  await expect(page.getByTestId('settings-saved')).toBeVisible();
  await expect(page.getByTestId('app-settings-submit')).toHaveText('Save changes');
  await page.unrouteAll({ behavior: 'wait' });

  const releaseDelete = await hold('DELETE');
  await page.getByTestId('delete-application').click();
  await page.getByTestId('confirm-type').fill(app);
  await page.getByTestId('confirm-ok').click();
  await expect(page.getByTestId('confirm-ok')).toHaveText('Working…');
  await expect(page.getByTestId('confirm-ok')).toBeDisabled();
  releaseDelete();
  await page.waitForURL(`${mote.url}/`);
});
