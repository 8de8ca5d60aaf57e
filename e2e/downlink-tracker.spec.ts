import type { Page } from '@playwright/test';
import { apiCall, expect, test, uniqueId } from './fixtures';

/**
 * Issue 16: a downlink pushed from the console is followed by its own correlation ID to sent,
 * ack or failed (with the reason in words); fields say what is wrong beside them; the payload
 * is counted against the device's data rate.
 */
const rows = (page: Page, type: string) => page.locator(`[data-testid="event-row"][data-type="${type}"]`);
const field = (page: Page, name: string) =>
  page.locator(`form[data-testid="downlink-form"] [name="${name}"]`);

test('downlink: field checks in words, byte counter, and a tracker to failed, sent and ack', async ({
  loggedIn: page,
  mote,
}) => {
  const app = uniqueId('track');
  await apiCall(page, mote, 'POST', '/api/v3/applications', {
    application: { ids: { application_id: app } },
  });
  await apiCall(page, mote, 'POST', `/api/v3/applications/${app}/devices`, {
    end_device: { ids: { device_id: 'valve-1', dev_eui: '70B3D57ED1FF0001', join_eui: '0000000000000000' } },
  });
  // SF12 (DR0): at most 51 bytes fit a downlink.
  const sim = `/api/v3/sim/applications/${app}/devices/valve-1`;
  await apiCall(page, mote, 'POST', `${sim}/start`, { interval: '1s', ack_loss: 0, data_rate_index: 0 });
  await page.goto(`${mote.url}/applications/${app}/devices/valve-1`);
  await expect(rows(page, 'up').first()).toBeVisible({ timeout: 30_000 });

  await field(page, 'f_port').fill('300');
  await expect(page.getByTestId('f-port-error')).toHaveText(
    'FPort must be a whole number from 1 to 255, not 300.',
  );
  await field(page, 'f_port').fill('224');
  await expect(page.getByTestId('f-port-error')).toHaveText(
    'FPort 224 is reserved for the LoRaWAN test protocol: use 1 to 223 or 225 to 255.',
  );
  await field(page, 'payload').fill('ABC');
  await expect(page.getByTestId('payload-error')).toContainText('pairs of digits');
  // Nothing is pushed while a field is wrong.
  await page.getByTestId('downlink-submit').click();
  await expect(page.getByTestId('downlink-tracker')).toHaveCount(0);
  await field(page, 'f_port').fill('10');
  await expect(page.getByTestId('f-port-error')).toHaveCount(0);

  await field(page, 'payload').fill('AB'.repeat(60));
  await expect(page.getByTestId('payload-error')).toHaveCount(0);
  await expect(page.getByTestId('byte-counter')).toContainText('60 / 51 bytes at DR0');
  await expect(page.getByTestId('byte-counter')).toContainText('too long');

  // Held at the network until the button says so: "Pushing…" is a state, not a race.
  let release = () => {};
  const held = new Promise<void>((r) => {
    release = r;
  });
  await page.route('**/down/push', async (route) => {
    await held;
    await route.continue();
  });
  await page.getByTestId('downlink-submit').click();
  await expect(page.getByTestId('downlink-submit')).toHaveText('Pushing…');
  release();
  const tracker = page.getByTestId('downlink-tracker');
  await expect(tracker).toHaveAttribute('data-stage', 'failed', { timeout: 30_000 });
  // At most 51, less any MAC commands the network layer sends in the same frame.
  await expect(page.getByTestId('downlink-outcome')).toHaveText(
    /^Failed: the payload is 60 bytes, but at most \d+ fit at data rate DR0$/,
  );
  await expect(
    rows(page, 'down/failed').getByTestId('event-error').filter({ hasText: 'fit at data rate DR0' }),
  ).toHaveCount(1);
  await page.unroute('**/down/push');
  // Each push its own correlation ID, the newest one followed.
  const cid = page.getByTestId('downlink-cid');
  const followed = [(await cid.textContent()) ?? ''];
  expect(followed[0]).toMatch(/^console:downlink:[0-9a-f]{20}$/);

  await field(page, 'payload').fill('0102');
  await expect(page.getByTestId('byte-counter')).toContainText('2 / 51 bytes at DR0');
  await page.getByTestId('downlink-submit').click();
  await expect(tracker).toHaveAttribute('data-stage', 'sent', { timeout: 30_000 });
  await expect(cid).not.toHaveText(followed[0] ?? '');
  followed.push((await cid.textContent()) ?? '');

  await field(page, 'confirmed').check();
  await page.getByTestId('downlink-submit').click();
  await expect(tracker).toHaveAttribute('data-stage', 'ack', { timeout: 30_000 });
  await expect(page.getByTestId('downlink-outcome')).toHaveText('Acknowledged by the device');
  followed.push((await cid.textContent()) ?? '');
  expect(new Set(followed).size).toBe(3);

  // The list shows it alive, with its newest payload and signal.
  await page.goto(`${mote.url}/applications/${app}/devices`);
  const row = page.getByTestId('device-row').filter({ hasText: 'valve-1' });
  await expect(row.getByTestId('status-dot')).toHaveAttribute('aria-label', 'seen in the last 15 minutes');
  await expect(row.getByTestId('last-signal')).toContainText('dBm');
  await expect(row.getByTestId('last-payload')).not.toBeEmpty();
  await apiCall(page, mote, 'POST', `${sim}/stop`, {});
});
