import type { Page } from '@playwright/test';
import { apiCall, expect, type Mote, test, uniqueEui, uniqueId } from './fixtures';

/** Simulated uplinks through the HTTP API, one after another (each is a real AS uplink). */
async function uplinks(page: Page, mote: Mote, app: string, payloads: string[]) {
  for (const hex of payloads)
    await apiCall(page, mote, 'POST', `/api/v3/as/applications/${app}/devices/sensor-a/up/simulate`, {
      uplink_message: { f_port: 2, frm_payload: Buffer.from(hex, 'hex').toString('base64') },
    });
}

const counter = (n: number) => n.toString(16).toUpperCase().padStart(4, '0');
/** More than the 200 rows the console loads on open. */
const MANY = 230;

test('a deep link to an event older than the first history page opens it; paging into the past works while paused', async ({
  loggedIn: page,
  mote,
  context,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: mote.url });
  const app = uniqueId('hist');
  await apiCall(page, mote, 'POST', '/api/v3/applications', {
    application: { ids: { application_id: app } },
  });
  await apiCall(page, mote, 'POST', `/api/v3/applications/${app}/devices`, {
    end_device: { ids: { device_id: 'sensor-a', dev_eui: uniqueEui(), join_eui: '0000000000000000' } },
  });
  await uplinks(page, mote, app, ['CAFE0001']);
  const firstAt = Date.now();

  // Link to the event while it is new.
  await page.goto(`${mote.url}/applications/${app}/live`);
  const first = page.getByTestId('event-row').filter({ hasText: 'CAFE0001' });
  await first.click();
  await expect(page.getByTestId('detail-json')).toContainText('uplink_message');
  const link = page.url();
  const key = await first.getAttribute('data-key');

  // Later, many more events bury it below what the console loads on open. A page that opens
  // also reads the 5 s of history before its newest row (a catch-up for history's batched
  // writes), so the first event must be older than that, however fast the uplinks go.
  await page.waitForTimeout(Math.max(0, firstAt + 6_000 - Date.now()));
  await uplinks(
    page,
    mote,
    app,
    Array.from({ length: MANY }, (_, i) => `BEEF${counter(i)}`),
  );
  // History is written in batches; with all of it stored, nothing can arrive late as "new".
  await expect
    .poll(async () => {
      const res = await page.request.get(
        `${mote.url}/api/v3/as/applications/${app}/packages/storage/uplink_message?limit=1000`,
      );
      return (await res.text()).trim().split('\n').length;
    })
    .toBe(MANY + 1);
  await page.goto(link);
  await expect(page.getByTestId('detail-json')).toContainText(
    Buffer.from('CAFE0001', 'hex').toString('base64'),
  );
  await expect(page.locator('[data-testid="event-row"][aria-current="true"]')).toHaveAttribute(
    'data-key',
    key ?? '',
  );
  await expect(page.getByTestId('resume')).toBeVisible();
  await expect(page.getByTestId('pending-count')).toHaveCount(0);
  await page.getByTestId('copy-json').click();
  const copied = JSON.parse(await page.evaluate(() => navigator.clipboard.readText())) as {
    uplink_message?: { frm_payload?: string };
  };
  expect(copied.uplink_message?.frm_payload).toBe(Buffer.from('CAFE0001', 'hex').toString('base64'));

  // Device timeline: paused, "Load older events" fills in the past instead of counting as new.
  // It opens with the newest 200, plus what the catch-up after subscribing reads from the last
  // 5 s of history (on a fast machine that can be every BEEF uplink), never the oldest one.
  await page.goto(`${mote.url}/applications/${app}/devices/sensor-a`);
  const opened = async () => Number(await page.getByTestId('row-count').getAttribute('data-count'));
  await expect.poll(opened).toBeGreaterThanOrEqual(200);
  expect(await opened()).toBeLessThanOrEqual(MANY);
  await page.getByTestId('pause').click();
  await page.getByTestId('load-older').click();
  await expect(page.getByTestId('row-count')).toHaveAttribute('data-count', String(MANY + 1));
  await expect(page.getByTestId('pending-count')).toHaveCount(0);
  await page.getByTestId('load-older').click();
  await expect(page.getByTestId('load-older-result')).toHaveText('no older events');
});
