import { apiCall, expect, test, uniqueId } from './fixtures';

const XSS = '<img src=x onerror=alert(1)>';
const hex = (s: string) => Buffer.from(s).toString('hex').toUpperCase();

test('a device name and payload containing markup render as text', async ({ loggedIn: page, mote }) => {
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  const app = uniqueId('xss');
  await apiCall(page, mote, 'POST', '/api/v3/applications', {
    application: { ids: { application_id: app }, name: XSS },
  });

  await page.goto(`${mote.url}/applications/${app}/devices`);
  await page.getByTestId('new-device').click();
  await page.locator('input[name="device_id"]').fill('dev-xss');
  await page.locator('input[name="name"]').fill(XSS);
  await page.getByTestId('simulate-device').uncheck();
  await page.getByTestId('create-device-submit').click();
  await page.waitForURL(`**/devices/dev-xss`);
  await expect(page.getByTestId('device-title')).toHaveText(XSS);
  await expect(page.getByTestId('connection-badge')).toHaveAttribute('data-status', 'connected');

  await page.getByTestId('device-tab-uplink').click();
  await page.locator('input[name="up_payload"]').fill(hex(XSS));
  await page.getByTestId('uplink-submit').click();
  const row = page.getByTestId('event-row').first();
  await expect(row).toContainText(hex(XSS));
  await row.click();
  await expect(page.getByTestId('detail-json')).toContainText(Buffer.from(XSS).toString('base64'));

  // The text filter matches the payload's hex and the raw JSON, and echoes markup as typed.
  await page.getByTestId('text-filter').fill(XSS);
  await expect(page.getByTestId('text-filter')).toHaveValue(XSS);

  await page.goto(`${mote.url}/applications/${app}/devices`);
  await expect(page.getByTestId('device-name')).toHaveText(XSS);
  await page.goto(`${mote.url}/applications/${app}`);
  await expect(page.getByTestId('app-name')).toHaveText(XSS);
  await page.goto(`${mote.url}/`);
  await expect(page.getByTestId('app-row').filter({ hasText: app })).toContainText(XSS);

  expect(await page.locator('img[src="x"]').count()).toBe(0);
  expect(dialogs).toEqual([]);
});

test('markup in descriptions, API key names, correlation IDs, decoded payloads and MQTT errors renders as text', async ({
  loggedIn: page,
  mote,
}) => {
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  const app = uniqueId('xss');
  const cid = `x:<img src=x onerror=alert(2)>`;
  await apiCall(page, mote, 'POST', '/api/v3/applications', {
    application: { ids: { application_id: app }, name: 'xss', description: XSS },
  });
  await apiCall(page, mote, 'POST', `/api/v3/applications/${app}/devices`, {
    end_device: { ids: { device_id: 'dev-xss' }, name: 'plain', description: XSS },
  });
  const created = await apiCall<{ id: string; key: string }>(
    page,
    mote,
    'POST',
    `/api/v3/applications/${app}/api-keys`,
    {
      name: XSS,
      rights: ['RIGHT_APPLICATION_TRAFFIC_DOWN_WRITE'],
    },
  );

  await page.goto(`${mote.url}/applications/${app}/api-keys`);
  await expect(page.getByTestId('api-key-row').filter({ hasText: created.id.slice(0, 8) })).toContainText(
    XSS,
  );

  await page.goto(`${mote.url}/applications/${app}/devices/dev-xss`);
  await expect(page.getByTestId('connection-badge')).toHaveAttribute('data-status', 'connected');
  // Formatter-free JSON with markup in keys and values, carrying a correlation ID with markup.
  await apiCall(page, mote, 'POST', `/api/v3/as/applications/${app}/devices/dev-xss/down/push`, {
    downlinks: [{ f_port: 1, decoded_payload: { [XSS]: XSS, nested: [XSS] }, correlation_ids: [cid] }],
  });
  // Bad input over MQTT: the down/failed error shown in the console names what the client sent.
  const mqttClient = await import('mqtt');
  const client = await mqttClient.connectAsync(`mqtt://127.0.0.1:${mote.mqttPort}`, {
    username: app,
    password: created.key,
    reconnectPeriod: 0,
  });
  await client.publishAsync(
    `v3/${app}/devices/dev-xss/down/push`,
    JSON.stringify({
      downlinks: [{ f_port: 1, frm_payload: 'AQ==', priority: XSS, correlation_ids: [cid] }],
    }),
    { qos: 1 },
  );
  await client.endAsync();

  const queued = page.locator('[data-testid="event-row"][data-type="down/queued"]');
  const failed = page.locator('[data-testid="event-row"][data-type="down/failed"]');
  await expect(queued).toHaveCount(1);
  await expect(failed).toHaveCount(1);
  await queued.click();
  await expect(page.getByTestId('detail-json')).toContainText(`"${XSS}": "${XSS}"`);
  await page.getByTestId('correlation-id').filter({ hasText: cid }).click();
  await expect(page.getByTestId('cid-filter')).toHaveValue(cid);
  await failed.click();
  await expect(page.getByTestId('detail-json')).toContainText(cid);

  expect(await page.locator('img[src="x"]').count()).toBe(0);
  expect(dialogs).toEqual([]);
});

test('the Content-Security-Policy lets the console work and stops injected script', async ({
  loggedIn: page,
  mote,
}) => {
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  const app = uniqueId('csp');
  await apiCall(page, mote, 'POST', '/api/v3/applications', {
    application: { ids: { application_id: app } },
  });
  await apiCall(page, mote, 'POST', `/api/v3/applications/${app}/devices`, {
    end_device: { ids: { device_id: 'dev-csp' } },
  });
  for (const path of [
    '/',
    `/applications/${app}`,
    `/applications/${app}/devices`,
    `/applications/${app}/api-keys`,
  ]) {
    await page.goto(`${mote.url}${path}`);
    await page.waitForLoadState('networkidle');
  }
  await page.goto(`${mote.url}/applications/${app}/devices/dev-csp`);
  // Hydrated and live: the MQTT-over-WebSocket connection is allowed by connect-src.
  await expect(page.getByTestId('connection-badge')).toHaveAttribute('data-status', 'connected');
  expect(violations).toEqual([]);

  // Markup that slips into the page cannot run script: an inline handler has no nonce. (Scripts
  // made by running script are allowed by 'strict-dynamic'; markup alone cannot make them.)
  await page.evaluate(
    () =>
      new Promise<void>((resolve) => {
        document.body.insertAdjacentHTML(
          'beforeend',
          '<img id="xss-probe" src="/missing.png" onerror="window.__handler = true">',
        );
        document.getElementById('xss-probe')?.addEventListener('error', () => resolve());
      }),
  );
  expect(await page.evaluate(() => (window as { __handler?: boolean }).__handler)).toBeUndefined();
  await expect.poll(() => violations.length).toBe(1);
});
