import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { at } from '../test/helpers/at';
import { apiCall, expect, type Mote, screenshot, test, uniqueEui, uniqueId } from './fixtures';

async function appWithDevice(page: Page, mote: Mote, name: string) {
  const app = uniqueId('live');
  await apiCall(page, mote, 'POST', '/api/v3/applications', {
    application: { ids: { application_id: app }, name: 'Live e2e' },
  });
  await apiCall(page, mote, 'POST', `/api/v3/applications/${app}/devices`, {
    end_device: {
      ids: { device_id: 'sensor-a', dev_eui: uniqueEui(), join_eui: '0000000000000000' },
      name,
    },
  });
  return app;
}

async function startSimulator(page: Page, intervalSeconds: string) {
  await page.getByTestId('device-tab-simulator').click();
  await page.locator('input[name="sim_interval"]').fill(intervalSeconds);
  await page.locator('input[name="sim_ack_loss"]').fill('0');
  await page.getByTestId('sim-start').click();
  await expect(page.getByTestId('sim-state')).toHaveText('running');
}

const rowTypes = (page: Page) =>
  page.getByTestId('event-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-type')));
const shownCount = async (page: Page) =>
  Number(await page.getByTestId('row-count').getAttribute('data-count'));

test('simulated device → live rows → confirmed downlink → correlation filter shows queued, sent, ack', async ({
  loggedIn: page,
  mote,
}) => {
  const app = await appWithDevice(page, mote, 'Greenhouse sensor');
  await page.goto(`${mote.url}/applications/${app}/devices/sensor-a`);
  await expect(page.getByTestId('connection-badge')).toHaveAttribute('data-status', 'connected');
  await startSimulator(page, '1');
  await expect(page.locator('[data-testid="event-row"][data-type="up"]').nth(1)).toBeVisible({
    timeout: 30_000,
  });

  const cid = `e2e:dl:${Date.now()}`;
  await page.getByTestId('device-tab-downlink').click();
  await page.locator('input[name="f_port"]').fill('15');
  await page.locator('input[name="payload"]').fill('01 A2 FF');
  await page.locator('input[name="confirmed"]').check();
  await page.locator('input[name="correlation_ids"]').fill(`${cid}, e2e:second`);
  await page.getByTestId('downlink-submit').click();
  await expect(page.getByTestId('downlink-ok')).toBeVisible();
  // Pushing follows the new downlink: the filter is set to its first correlation ID.
  await expect(page.getByTestId('cid-filter')).toHaveValue(cid);
  await expect(page.locator('[data-testid="event-row"][data-type="down/ack"]')).toBeVisible({
    timeout: 30_000,
  });

  // Reset, then filter the way a user would: open the queued event and click the ID.
  await page.getByTestId('clear-filters').click();
  await page.locator('[data-testid="event-row"][data-type="down/queued"]').first().click();
  // The user's IDs, and the console's own for this one downlink beside them.
  const own = (await page.getByTestId('downlink-cid').textContent()) ?? '';
  expect(own).toMatch(/^console:downlink:/);
  for (const id of [cid, 'e2e:second', own])
    await expect(page.getByTestId('correlation-id').filter({ hasText: id })).toHaveCount(1);
  await page.getByTestId('correlation-id').filter({ hasText: cid }).click();
  await expect(page.getByTestId('cid-filter')).toHaveValue(cid);
  await expect.poll(() => rowTypes(page)).toEqual(['down/ack', 'down/sent', 'down/queued']);
  await expect(page.locator('[data-testid="event-row"][data-type="down/sent"]')).toContainText('01A2FF');
  await expect(page.locator('[data-testid="event-row"][data-type="down/sent"]')).toContainText('confirmed');

  await page.locator('[data-testid="event-row"][data-type="down/sent"]').click();
  await screenshot(page, 'device-page', true);

  // Bad input: said beside the field, in words, before anything is sent (issue 16).
  await page.getByTestId('clear-filters').click();
  await page.locator('input[name="f_port"]').fill('0');
  await page.getByTestId('downlink-submit').click();
  await expect(page.getByTestId('f-port-error')).toHaveText(
    'FPort must be a whole number from 1 to 255, not 0.',
  );
});

test('pause buffers events, resume loses none; export has the rows shown; deep link opens the event', async ({
  loggedIn: page,
  mote,
}) => {
  const app = await appWithDevice(page, mote, 'Pump controller');
  await page.goto(`${mote.url}/applications/${app}/devices/sensor-a`);
  await startSimulator(page, '0.5');

  await page.goto(`${mote.url}/applications/${app}/live`);
  await expect(page.getByTestId('connection-badge')).toHaveAttribute('data-status', 'connected');
  await expect(page.locator('[data-testid="event-row"][data-type="up"]').nth(2)).toBeVisible({
    timeout: 30_000,
  });

  await page.getByTestId('pause').click();
  const before = await shownCount(page);
  await expect
    .poll(async () => Number(await page.getByTestId('pending-count').getAttribute('data-count')), {
      timeout: 30_000,
    })
    .toBeGreaterThanOrEqual(4);
  expect(await shownCount(page)).toBe(before);
  await page.getByTestId('resume').click();
  await page.getByTestId('pause').click();

  // Paused again: the table is still; export it and compare with what is shown.
  const shown = await shownCount(page);
  expect(shown).toBeGreaterThanOrEqual(before + 4);
  const [json] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-json').click()]);
  const exported = JSON.parse(readFileSync((await json.path()) ?? '', 'utf8')) as {
    uplink_message?: { f_cnt?: number };
  }[];
  expect(exported).toHaveLength(shown);
  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
  const csvLines = readFileSync((await csv.path()) ?? '', 'utf8')
    .trim()
    .split('\r\n');
  expect(csvLines).toHaveLength(shown + 1);

  // None missing: the uplink frame counters run without a hole.
  const fcnts = exported
    .flatMap((m) => (m.uplink_message ? [m.uplink_message.f_cnt ?? 0] : []))
    .sort((a, b) => a - b);
  expect(fcnts.length).toBeGreaterThanOrEqual(4);
  expect(at(fcnts, -1) - at(fcnts, 0) + 1).toBe(fcnts.length);

  // Detail panel + screenshot of the live table.
  await page.locator('[data-testid="event-row"][data-type="up"]').nth(1).click();
  await expect(page.getByTestId('detail-json')).toContainText('uplink_message');
  await screenshot(page, 'live-table');

  // Deep link: the URL names the event; opening it selects it (and pauses).
  const link = page.url();
  expect(link).toContain('event=');
  const selectedKey = await page
    .locator('[data-testid="event-row"][aria-current="true"]')
    .getAttribute('data-key');
  await page.goto(link);
  await expect(page.getByTestId('detail-json')).toContainText('uplink_message');
  await expect(page.locator('[data-testid="event-row"][aria-current="true"]')).toHaveAttribute(
    'data-key',
    selectedKey ?? '',
  );
  await expect(page.getByTestId('resume')).toBeVisible();
});
