import type { Page } from '@playwright/test';
import { apiCall, expect, screenshot, test, uniqueId } from './fixtures';

const rows = (page: Page, type: string) => page.locator(`[data-testid="event-row"][data-type="${type}"]`);

/** The frame counter in a row's preview ("FCnt 7"). */
const fcntOf = async (page: Page, type: string) =>
  Number((await rows(page, type).first().textContent())?.match(/FCnt\s*(\d+)/)?.[1] ?? -1);

test('create a simulated device; simulator with ack loss, nacks and retries in words, stop; queue; simulate an uplink', async ({
  loggedIn: page,
  mote,
}) => {
  const app = uniqueId('dev');
  await apiCall(page, mote, 'POST', '/api/v3/applications', {
    application: { ids: { application_id: app } },
  });

  // Create with "simulate this device": a bad interval is refused before anything is created.
  await page.goto(`${mote.url}/applications/${app}/devices`);
  await page.getByTestId('new-device').click();
  await page.locator('input[name="device_id"]').fill('pump-1');
  await page.locator('input[name="name"]').fill('Pump one');
  await expect(page.getByTestId('simulate-device')).toBeChecked();
  await page.locator('form[data-testid="create-device-form"] input[name="sim_interval"]').fill('soon');
  await page.getByTestId('create-device-submit').click();
  await expect(page.getByTestId('form-error')).toContainText('Uplink interval');
  const none = await apiCall<{ end_devices?: unknown[] }>(
    page,
    mote,
    'GET',
    `/api/v3/applications/${app}/devices`,
  );
  expect(none.end_devices ?? []).toHaveLength(0);
  await page.locator('form[data-testid="create-device-form"] input[name="sim_interval"]').fill('1');
  await page.getByTestId('create-device-submit').click();
  await page.waitForURL('**/devices/pump-1');

  // It joins and sends at once; the first uplink's FCnt 0 is shown although JSON leaves it out.
  await expect(rows(page, 'join')).toHaveCount(1, { timeout: 30_000 });
  await expect(rows(page, 'up').nth(2)).toBeVisible({ timeout: 30_000 });
  await expect(rows(page, 'up').last()).toContainText('FCnt 0');
  await expect(page.getByTestId('signal-chart')).toBeVisible();
  await expect(
    page
      .getByTestId('rate-chart')
      .locator('rect title')
      .filter({ hasText: /^[1-9]\d* uplink/ }),
  ).not.toHaveCount(0);
  await expect(page.getByTestId('last-seen')).not.toHaveText('never', { timeout: 15_000 });

  // Simulator: the form says what is wrong in its own units; then every ack is lost.
  await page.getByTestId('device-tab-simulator').click();
  await expect(page.getByTestId('sim-state')).toHaveText('running');
  await expect(page.locator('input[name="sim_interval"]')).toHaveValue('1');
  await page.locator('input[name="sim_ack_loss"]').fill('150');
  await page.getByTestId('sim-start').click();
  await expect(page.getByTestId('sim-error')).toContainText('Ack loss must be a percentage');
  await page.locator('input[name="sim_ack_loss"]').fill('100');
  await page.getByTestId('sim-start').click();
  await expect(page.getByTestId('sim-error')).toHaveCount(0);

  await page.getByTestId('device-tab-downlink').click();
  await page.locator('input[name="f_port"]').fill('9');
  await page.locator('input[name="payload"]').fill('0F');
  await page.locator('input[name="confirmed"]').check();
  await page.locator('input[name="correlation_ids"]').fill('e2e:retry');
  await page.getByTestId('downlink-submit').click();
  await expect(page.getByTestId('cid-filter')).toHaveValue('e2e:retry');
  await expect(rows(page, 'down/queued')).toContainText('attempt 1 of 8');
  await expect(rows(page, 'down/nack').filter({ hasText: 'attempt 2 of 8, will retry' })).toHaveCount(1, {
    timeout: 30_000,
  });
  await expect(rows(page, 'down/sent').filter({ hasText: 'attempt 1 of 8' })).toHaveCount(1);
  await expect(rows(page, 'down/nack').filter({ hasText: 'attempt 1 of 8, will retry' })).toHaveCount(1);
  await expect(page.getByTestId('event-preview').filter({ hasText: '?' })).toHaveCount(0);
  await screenshot(page, 'device-retries', true);

  // Stop: no more uplinks, so what is pushed now waits in the queue; clear it.
  await page.getByTestId('device-tab-simulator').click();
  await page.getByTestId('sim-stop').click();
  await expect(page.getByTestId('sim-state')).toHaveText('stopped');
  await page.getByTestId('clear-filters').click();
  const lastFcnt = await fcntOf(page, 'up');
  await page.getByTestId('device-tab-downlink').click();
  await page.locator('input[name="correlation_ids"]').fill('');
  await page.getByTestId('downlink-submit').click();
  await page.locator('input[name="confirmed"]').uncheck();
  await page.locator('input[name="payload"]').fill('AB CD');
  await page.getByTestId('downlink-submit').click();
  await expect(page.getByTestId('queue-item')).toHaveCount(2);
  await expect(page.getByTestId('queue-item').first()).toContainText('attempt 1 of 8');
  await expect(page.getByTestId('queue-item').nth(1)).toContainText('ABCD');
  await expect(page.getByTestId('queue-item').nth(1)).not.toContainText('attempt');
  await page.waitForTimeout(3000);
  expect(await fcntOf(page, 'up')).toBe(lastFcnt);
  await expect(page.getByTestId('queue-item')).toHaveCount(2);

  // Base64 payload, a priority, and "replace" swaps the whole queue for this one item.
  await page.getByTestId('payload-format').selectOption('base64');
  await page.locator('input[name="payload"]').fill('3q2+7w==');
  await page.locator('select[name="priority"]').selectOption('HIGH');
  await page.getByTestId('downlink-op').selectOption('replace');
  await page.getByTestId('downlink-submit').click();
  await expect(page.getByTestId('queue-item')).toHaveCount(1);
  await expect(page.getByTestId('queue-item')).toContainText('DEADBEEF');
  await expect(page.getByTestId('queue-item')).toContainText('HIGH');
  await page.getByTestId('clear-queue').click();
  await expect(page.getByTestId('queue-item')).toHaveCount(0);
  await expect(page.getByTestId('queue')).toContainText('Queue is empty.');

  // Simulate an uplink: bad input is refused in words; a good one shows up marked simulated.
  await page.getByTestId('device-tab-uplink').click();
  await page.locator('input[name="up_f_port"]').fill('seven');
  await page.locator('input[name="up_payload"]').fill('0102');
  await page.getByTestId('uplink-submit').click();
  await expect(page.getByTestId('uplink-error')).toContainText('FPort must be a whole number');
  await page.locator('input[name="up_f_port"]').fill('7');
  await page.locator('input[name="up_payload"]').fill('01 0');
  await page.getByTestId('uplink-submit').click();
  await expect(page.getByTestId('uplink-error')).toContainText('hex');
  await page.locator('input[name="up_payload"]').fill('C0 FF EE');
  await page.getByTestId('uplink-submit').click();
  const simulated = rows(page, 'up').filter({ hasText: 'C0FFEE' });
  await expect(simulated).toHaveCount(1);
  await expect(simulated).toContainText('FPort 7');
  await simulated.click();
  await expect(page.getByTestId('detail-json')).toContainText('"simulated": true');

  // The devices list shows when it was last seen.
  await page.goto(`${mote.url}/applications/${app}/devices`);
  await expect(page.getByTestId('device-row').filter({ hasText: 'pump-1' })).toContainText(
    /just now|s ago|min ago/,
  );
});
