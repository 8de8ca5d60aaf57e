import mqtt from 'mqtt';
import { at } from '../test/helpers/at';
import { apiCall, expect, screenshot, test, uniqueId } from './fixtures';

/** CONNECT with `key` as the password; resolves with the CONNACK return code (0 = accepted). */
function mqttConnect(port: number, app: string, key: string): Promise<number> {
  return new Promise((resolve) => {
    const client = mqtt.connect(`mqtt://127.0.0.1:${port}`, {
      username: app,
      password: key,
      reconnectPeriod: 0,
      connectTimeout: 10_000,
    });
    client.once('connect', (ack) => {
      client.end(true);
      resolve(ack.returnCode ?? 0);
    });
    client.once('error', (err) => {
      client.end(true);
      resolve((err as { code?: number }).code ?? -1);
    });
  });
}

test('create an application and an MQTT-preset API key; the key is shown once and MQTT.js connects with it', async ({
  loggedIn: page,
  mote,
}) => {
  const app = uniqueId('keys');
  await page.getByTestId('new-app').click();
  await page.locator('input[name="application_id"]').fill(app);
  await page.locator('input[name="name"]').fill('Key test');
  await page.getByTestId('create-app-submit').click();
  await page.waitForURL(`**/applications/${app}`);
  await expect(page.getByTestId('app-id')).toHaveText(app);

  await page.getByTestId('tab-api-keys').click();
  await page.getByTestId('new-api-key').click();
  await expect(page.getByTestId('preset-mqtt')).toBeChecked();
  await expect(page.getByTestId('right-RIGHT_APPLICATION_TRAFFIC_READ')).toBeChecked();
  await expect(page.getByTestId('right-RIGHT_APPLICATION_TRAFFIC_DOWN_WRITE')).toBeChecked();
  await expect(page.getByTestId('right-RIGHT_APPLICATION_ALL')).not.toBeChecked();
  await page.locator('form[data-testid="api-key-form"] input[name="name"]').fill('mqtt client');
  await page.getByTestId('api-key-submit').click();

  const key = (await page.getByTestId('new-key').textContent()) ?? '';
  expect(key).toMatch(/^NNSXS\.[A-Z2-7]{39}\.[A-Z2-7]{52}$/);
  await expect(page.getByTestId('api-key-row')).toHaveCount(1);
  await expect(page.getByTestId('api-key-row')).toContainText('traffic_read');
  await screenshot(page, 'api-keys');

  expect(await mqttConnect(mote.mqttPort, app, key)).toBe(0);
  expect(await mqttConnect(mote.mqttPort, app, `${key.slice(0, -4)}AAAA`)).toBe(5);

  await page.getByTestId('key-done').click();
  await page.reload();
  await expect(page.getByTestId('api-key-row')).toHaveCount(1);
  expect(await page.content()).not.toContain(key);
});

test('API keys can be edited and deleted after confirmation', async ({ loggedIn: page }) => {
  const app = uniqueId('edit');
  await page.getByTestId('new-app').click();
  await page.locator('input[name="application_id"]').fill(app);
  await page.getByTestId('create-app-submit').click();
  await page.waitForURL(`**/applications/${app}`);
  await page.goto(page.url().replace(/\/?$/, '/api-keys'));
  await page.getByTestId('new-api-key').click();
  await page.getByTestId('preset-all').check();
  await page.getByTestId('api-key-submit').click();
  await expect(page.getByTestId('new-key')).toBeVisible();
  await expect(page.getByTestId('api-key-row')).toContainText('all');

  await page.getByTestId('edit-api-key').click();
  await page.locator('form[data-testid="api-key-form"] input[name="name"]').fill('renamed');
  await page.getByTestId('preset-mqtt').check();
  await page.getByTestId('api-key-submit').click();
  await expect(page.getByTestId('api-key-row')).toContainText('renamed');
  await expect(page.getByTestId('api-key-row')).toContainText('traffic_down_write');

  await page.getByTestId('delete-api-key').click();
  await page.getByTestId('confirm-ok').click();
  await expect(page.getByTestId('api-key-row')).toHaveCount(0);
});

test('the overview generates a TRAFFIC_READ + TRAFFIC_DOWN_WRITE key for MQTT', async ({
  loggedIn: page,
  mote,
}) => {
  const app = uniqueId('overview');
  await page.getByTestId('new-app').click();
  await page.locator('input[name="application_id"]').fill(app);
  await page.getByTestId('create-app-submit').click();
  await page.waitForURL(`**/applications/${app}`);
  await expect(page.getByTestId('mqtt-username')).toHaveText(app);
  await page.getByTestId('generate-mqtt-key').click();
  const key = (await page.getByTestId('new-key').textContent()) ?? '';
  expect(await mqttConnect(mote.mqttPort, app, key)).toBe(0);
});

test('the new key copies to the clipboard; renaming keeps the exact expiry; expiry can be removed', async ({
  loggedIn: page,
  mote,
  context,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: mote.url });
  const app = uniqueId('expiry');
  await apiCall(page, mote, 'POST', '/api/v3/applications', {
    application: { ids: { application_id: app } },
  });
  await page.goto(`${mote.url}/applications/${app}/api-keys`);
  await page.getByTestId('new-api-key').click();
  await page.getByTestId('expiry').selectOption('7');
  await page.getByTestId('api-key-submit').click();
  const key = (await page.getByTestId('new-key').textContent()) ?? '';
  await page.getByTestId('copy-key').click();
  await expect(page.getByTestId('copy-key')).toContainText('Copied');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(key);
  await expect(page.getByTestId('api-key-row')).toContainText('in 7 d');

  const keys = () =>
    apiCall<{ api_keys: { id: string; name?: string; expires_at?: string }[] }>(
      page,
      mote,
      'GET',
      `/api/v3/applications/${app}/api-keys`,
    );
  const created = at((await keys()).api_keys, 0);
  expect(created.expires_at).toBeTruthy();

  await page.getByTestId('edit-api-key').click();
  await page.locator('form[data-testid="api-key-form"] input[name="name"]').fill('renamed');
  await page.getByTestId('api-key-submit').click();
  await expect(page.getByTestId('api-key-row')).toContainText('renamed');
  const renamed = at((await keys()).api_keys, 0);
  expect(renamed.expires_at).toBe(created.expires_at);

  await page.getByTestId('edit-api-key').click();
  await page.getByTestId('expiry').selectOption('');
  await page.getByTestId('api-key-submit').click();
  await expect(page.getByTestId('api-key-row')).toContainText('never');
  const unbounded = at((await keys()).api_keys, 0);
  expect(unbounded.expires_at).toBeUndefined();
});
