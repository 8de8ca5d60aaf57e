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
