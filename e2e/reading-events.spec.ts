import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { apiCall, expect, type Mote, test, uniqueEui, uniqueId } from './fixtures';

/**
 * Issue 16, reading events: rows lead with what matters (the decoded payload in full, a failure
 * in words, a date on older rows), the details pane summarises and folds, new events wait while
 * the user reads, and the application's history reaches back (time range, load older, a
 * debounced prefix filter on correlation IDs).
 */
const DECODER = `function decodeUplink(input) {
  if (input.fPort === 3) throw new Error('cannot parse');
  return { data: { temperature: input.bytes[0], note: 'n'.repeat(150) + 'END' } };
}`;
const DAY_MS = 86_400_000;

async function appWithDevice(page: Page, mote: Mote, formatter = false) {
  const app = uniqueId('read');
  await apiCall(page, mote, 'POST', '/api/v3/applications', {
    application: { ids: { application_id: app } },
  });
  await apiCall(page, mote, 'POST', `/api/v3/applications/${app}/devices`, {
    end_device: { ids: { device_id: 'sensor-a', dev_eui: uniqueEui(), join_eui: '0000000000000000' } },
  });
  if (formatter)
    await apiCall(page, mote, 'PUT', `/api/v3/as/applications/${app}/link`, {
      default_formatters: { up_formatter: 'FORMATTER_JAVASCRIPT', up_formatter_parameter: DECODER },
    });
  return app;
}

/** A simulated uplink (a real AS uplink), at `receivedAt` when given. */
const uplink = (page: Page, mote: Mote, app: string, fPort: number, hex: string, receivedAt?: Date) =>
  apiCall(page, mote, 'POST', `/api/v3/as/applications/${app}/devices/sensor-a/up/simulate`, {
    uplink_message: {
      f_port: fPort,
      frm_payload: Buffer.from(hex, 'hex').toString('base64'),
      ...(receivedAt ? { received_at: receivedAt.toISOString() } : {}),
    },
  });

async function uplinks(page: Page, mote: Mote, app: string, n: number) {
  for (let i = 0; i < n; i += 10)
    await Promise.all(
      Array.from({ length: Math.min(10, n - i) }, (_, j) =>
        uplink(page, mote, app, 2, (i + j).toString(16).padStart(2, '0')),
      ),
    );
}

/** History is written in batches: wait until all of it is stored. */
async function stored(page: Page, mote: Mote, app: string, n: number) {
  await expect
    .poll(async () => {
      const res = await page.request.get(`${mote.url}/api/v3/as/applications/${app}/packages/storage/all`);
      return (await res.text()).trim().split('\n').filter(Boolean).length;
    })
    .toBe(n);
}

const rows = (page: Page, type: string) => page.locator(`[data-testid="event-row"][data-type="${type}"]`);
const shownCount = async (page: Page) =>
  Number(await page.getByTestId('row-count').getAttribute('data-count'));

test('rows: the decoded payload in full, a failure in words, the date on older rows; CSV has decoded columns', async ({
  loggedIn: page,
  mote,
}) => {
  const app = await appWithDevice(page, mote, true);
  await uplink(page, mote, app, 2, '10');
  await uplink(page, mote, app, 2, '16');
  await stored(page, mote, app, 2);

  await page.goto(`${mote.url}/applications/${app}/live`);
  await expect(page.getByTestId('connection-badge')).toHaveAttribute('data-status', 'connected');
  // Decode failures are live only (history keeps TTS's messages).
  await uplink(page, mote, app, 3, '01');

  const decodedRows = rows(page, 'up').filter({ has: page.getByTestId('event-decoded') });
  await expect(decodedRows).toHaveCount(2);
  const decoded = decodedRows.first().getByTestId('event-decoded');
  await expect(decoded).toContainText('"temperature":22');
  await expect(decoded).toContainText('END"}');
  // Wrapped, not cut: nothing of it is hidden, and the row grew to hold it.
  expect(
    await decoded.evaluate((el) => el.scrollWidth <= el.clientWidth && el.scrollHeight <= el.clientHeight),
  ).toBe(true);
  expect((await decodedRows.first().boundingBox())?.height ?? 0).toBeGreaterThan(40);

  const failed = rows(page, 'up/decode/failed').getByTestId('event-error');
  await expect(failed).toContainText('cannot parse');
  await expect(failed).toHaveText(/^[a-z_]+: .*cannot parse/);

  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
  const [head, ...lines] = readFileSync((await csv.path()) ?? '', 'utf8')
    .trim()
    .split('\r\n');
  // The decoded fields come last, one column each, after the whole decoded payload (quoted JSON).
  expect(head).toMatch(/,decoded_payload,decoded\.temperature,decoded\.note$/);
  expect(lines.filter((l) => l.endsWith(`,22,${'n'.repeat(150)}END`))).toHaveLength(1);
  expect(lines.filter((l) => l.endsWith(`,16,${'n'.repeat(150)}END`))).toHaveLength(1);

  // Today's rows show the time only; two days on, the same rows show their date, in the locale.
  await expect(page.getByTestId('event-date')).toHaveCount(0);
  const sent = Date.now();
  await page.clock.setFixedTime(new Date(sent + 2 * DAY_MS));
  await page.reload();
  const date = await page.evaluate(
    (ms) => new Date(ms).toLocaleDateString(undefined, { month: 'short', day: 'numeric' }),
    sent,
  );
  await expect(decodedRows.first().getByTestId('event-date')).toHaveText(date);
});

test('details: a summary over a folding JSON tree that wraps; Escape closes and goes back to the row', async ({
  loggedIn: page,
  mote,
}) => {
  const app = await appWithDevice(page, mote, true);
  await uplink(page, mote, app, 2, '16');
  await page.goto(`${mote.url}/applications/${app}/live`);
  const row = rows(page, 'up').first();
  await row.click();

  const summary = page.getByTestId('detail-summary');
  await expect(summary.getByTestId('detail-device')).toHaveText('sensor-a');
  await expect(summary.getByTestId('detail-fport')).toHaveText('2');
  await expect(summary.getByTestId('detail-fcnt')).toHaveText(/^\d+$/);
  await expect(summary.getByTestId('detail-rssi')).toHaveText('-42 dBm');
  await expect(summary.getByTestId('detail-snr')).toHaveText('4.2 dB');
  await expect(summary.getByTestId('correlation-id').first()).toContainText(':');

  const tree = page.getByTestId('detail-json');
  await expect(tree).toContainText('"temperature": 22');
  // Long strings wrap inside the pane: nothing to scroll sideways.
  expect(await tree.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
  // Each object folds.
  const metadata = tree.locator('summary', { hasText: '"rx_metadata": [' }).locator('..');
  await expect(metadata).toHaveAttribute('open', '');
  await metadata.locator(':scope > summary').click();
  await expect(metadata).not.toHaveAttribute('open', '');
  await expect(metadata.getByText('"gateway_id"')).toBeHidden();

  const key = await row.getAttribute('data-key');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('detail-panel')).toHaveCount(0);
  expect(await page.evaluate(() => document.activeElement?.getAttribute('data-key'))).toBe(key);
});

test('calm streaming: with a row open or scrolled down, new events wait behind "N new ↑"', async ({
  loggedIn: page,
  mote,
}) => {
  const app = await appWithDevice(page, mote);
  await uplinks(page, mote, app, 40);
  await stored(page, mote, app, 40);
  await page.goto(`${mote.url}/applications/${app}/live`);
  await expect(page.getByTestId('connection-badge')).toHaveAttribute('data-status', 'connected');
  await expect.poll(() => shownCount(page)).toBe(40);

  // A row open: it stays where it is while events arrive.
  const picked = rows(page, 'up').nth(3);
  await picked.click();
  const key = await picked.getAttribute('data-key');
  const at = (await picked.boundingBox())?.y;
  await uplinks(page, mote, app, 3);
  await expect(page.getByTestId('new-events')).toHaveAttribute('data-count', '3');
  await expect(page.getByTestId('new-events')).toHaveText('3 new ↑');
  expect(await shownCount(page)).toBe(40);
  const same = page.locator(`[data-testid="event-row"][data-key="${key}"]`);
  expect((await same.boundingBox())?.y).toBe(at);
  await expect(same).toHaveAttribute('aria-current', 'true');

  // "N new ↑" brings them in, closes the row and goes back to the top.
  await page.getByTestId('new-events').click();
  await expect.poll(() => shownCount(page)).toBe(43);
  await expect(page.getByTestId('new-events')).toHaveCount(0);
  await expect(page.getByTestId('detail-panel')).toHaveCount(0);

  // Scrolled down: the rows in view stay put; back at the top, the news comes in.
  const table = page.getByTestId('event-table');
  await table.evaluate((el) => el.scrollTo({ top: 300 }));
  await expect.poll(() => table.evaluate((el) => el.scrollTop)).toBe(300);
  const firstShown = await rows(page, 'up').first().getAttribute('data-key');
  await uplinks(page, mote, app, 2);
  await expect(page.getByTestId('new-events')).toHaveAttribute('data-count', '2');
  expect(await rows(page, 'up').first().getAttribute('data-key')).toBe(firstShown);
  expect(await table.evaluate((el) => el.scrollTop)).toBe(300);
  await table.evaluate((el) => el.scrollTo({ top: 0 }));
  await expect.poll(() => shownCount(page)).toBe(45);
  await expect(page.getByTestId('new-events')).toHaveCount(0);
});

test('history: "load older" and a time range on Live data; a debounced prefix filter on correlation IDs and its empty state', async ({
  loggedIn: page,
  mote,
}) => {
  const app = await appWithDevice(page, mote);
  const order = uniqueId('order');
  for (const cid of [`${order}:1`, `${order}:2`, `other-${order}`])
    await apiCall(page, mote, 'POST', `/api/v3/as/applications/${app}/devices/sensor-a/down/push`, {
      downlinks: [{ f_port: 1, frm_payload: 'AQ==', correlation_ids: [cid] }],
    });
  // More than the 200 the table opens with: the downlinks and the first uplinks are further back,
  // older than the 5 s the live view catches up on when it subscribes (useLiveStream.ts), so only
  // "load older" brings them in.
  await uplinks(page, mote, app, 3);
  await stored(page, mote, app, 6);
  await page.waitForTimeout(5_500);
  await uplinks(page, mote, app, 200);
  await stored(page, mote, app, 206);

  await page.goto(`${mote.url}/applications/${app}/live`);
  await expect.poll(() => shownCount(page)).toBe(200);
  await expect(rows(page, 'down/queued')).toHaveCount(0);
  await page.getByTestId('load-older').click();
  await expect(page.getByTestId('load-older-result')).toHaveText('6 older events loaded');
  await expect.poll(() => shownCount(page)).toBe(206);
  await page.getByTestId('load-older').click();
  await expect(page.getByTestId('load-older-result')).toHaveText('no older events');

  // Typed a key at a time, asked once or twice, not once per key; a prefix finds both.
  const asked: string[] = [];
  page.on('request', (r) => {
    if (r.url().includes('/api/v3/events/related')) asked.push(r.url());
  });
  await page.getByTestId('cid-filter').pressSequentially(`${order}:`);
  await expect(rows(page, 'down/queued')).toHaveCount(2);
  await expect.poll(() => asked.length).toBeGreaterThanOrEqual(1);
  expect(asked.length).toBeLessThanOrEqual(2);
  expect(asked.at(-1)).toContain('match=prefix');

  await page.getByTestId('cid-filter').fill(`zz-${order}`);
  await expect(page.getByTestId('event-table-empty')).toHaveText(
    `No events match correlation ID “zz-${order}…”.`,
  );

  // Opened afresh, a time range loads that part of history at once, beyond the first 200.
  await page.reload();
  await expect.poll(() => shownCount(page)).toBe(200);
  await page.getByTestId('range-select').selectOption('24h');
  await expect.poll(() => shownCount(page)).toBe(206);
  await page.getByTestId('load-older').click();
  await expect(page.getByTestId('load-older-result')).toHaveText('no older events');

  // A range before any of it: nothing, said so.
  const local = (ms: number) =>
    new Date(ms - new Date(ms).getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
  await page.getByTestId('range-select').selectOption('custom');
  await page.getByTestId('range-from').fill(local(Date.now() - 3 * DAY_MS));
  await page.getByTestId('range-to').fill(local(Date.now() - 2 * DAY_MS));
  await expect(page.getByTestId('event-table-empty')).toHaveText('No events in this time range.');
});
