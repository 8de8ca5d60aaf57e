import type { Page } from '@playwright/test';
import { apiCall, expect, type Mote, test, uniqueId } from './fixtures';

const DEVICES = 50;

declare global {
  interface Window {
    moteFrames?: number;
    moteLongTaskMs?: number;
  }
}

const shownCount = async (page: Page) =>
  Number(await page.getByTestId('row-count').getAttribute('data-count'));

async function simulators(page: Page, mote: Mote, app: string, action: 'start' | 'stop') {
  await Promise.all(
    Array.from({ length: DEVICES }, (_, i) =>
      apiCall(page, mote, 'POST', `/api/v3/sim/applications/${app}/devices/flood-${i}/${action}`, {
        ...(action === 'start' ? { interval: '100ms', ack_loss: 0 } : {}),
      }),
    ),
  );
}

test('hundreds of events per second: the table keeps the newest 10,000 with a visible note; pause, filters and clear still work', async ({
  loggedIn: page,
  mote,
}) => {
  test.setTimeout(240_000);
  const app = uniqueId('flood');
  await apiCall(page, mote, 'POST', '/api/v3/applications', {
    application: { ids: { application_id: app } },
  });
  for (let i = 0; i < DEVICES; i++)
    await apiCall(page, mote, 'POST', `/api/v3/applications/${app}/devices`, {
      end_device: {
        ids: {
          device_id: `flood-${i}`,
          dev_eui: `70B3D57ED2${i.toString(16).toUpperCase().padStart(6, '0')}`,
          join_eui: '0000000000000000',
        },
      },
    });

  await page.goto(`${mote.url}/applications/${app}/live`);
  await expect(page.getByTestId('connection-badge')).toHaveAttribute('data-status', 'connected');
  await page.evaluate(() => {
    window.moteFrames = 0;
    // Long tasks are a Chromium measure; undefined (printed as n/a) where it is not reported.
    window.moteLongTaskMs = PerformanceObserver.supportedEntryTypes.includes('longtask') ? 0 : undefined;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.moteLongTaskMs = (window.moteLongTaskMs ?? 0) + e.duration;
    }).observe({ type: 'longtask' });
    const tick = () => {
      window.moteFrames = (window.moteFrames ?? 0) + 1;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });

  const started = Date.now();
  try {
    await simulators(page, mote, app, 'start');
    const note = page.getByTestId('dropped-note');
    await expect(note).toBeVisible({ timeout: 180_000 });
    const seconds = (Date.now() - started) / 1000;
    const { frames, longTaskMs } = await page.evaluate(() => ({
      frames: window.moteFrames ?? 0,
      longTaskMs: window.moteLongTaskMs === undefined ? 'n/a' : Math.round(window.moteLongTaskMs),
    }));
    console.log(
      `flood: 10,000 rows after ${seconds.toFixed(1)} s (${Math.round(10_000 / seconds)} events/s into the table), ` +
        `${Math.round(frames / seconds)} frames/s, ${longTaskMs} ms in long tasks`,
    );
    await expect(note).toContainText(/[\d,]+ older rows dropped \(the buffer keeps the newest 10,000\)/);
    expect(await shownCount(page)).toBe(10_000);
    await expect(page.getByTestId('row-count')).toHaveText('10,000 events');

    // Paused at full speed: the table holds still, the rest is counted.
    await page.getByTestId('pause').click();
    await expect(page.getByTestId('connection-badge')).toHaveText('Connected · paused');
    const pending = page.getByTestId('pending-count');
    await expect.poll(async () => Number(await pending.getAttribute('data-count'))).toBeGreaterThan(100);
    const dropped = await note.textContent();
    expect(await shownCount(page)).toBe(10_000);
    expect(await note.textContent()).toBe(dropped);

    // Filters combine over the whole buffer.
    await page.getByTestId('device-filter').selectOption('flood-7');
    await page.getByTestId('type-filter-up').click();
    const devices = () =>
      page.getByTestId('event-device').evaluateAll((els) => [...new Set(els.map((e) => e.textContent))]);
    await expect.poll(devices).toEqual(['flood-7']);
    const n = await shownCount(page);
    expect(n).toBeGreaterThan(0);
    expect(n).toBeLessThan(10_000);
    await expect(page.getByTestId('row-count')).toHaveText(`${n} of 10,000 events`);
    // The payload cell carries the full hex in its title.
    const hex = await page.getByTestId('event-preview').first().locator('span[title]').getAttribute('title');
    expect(hex).toBeTruthy();
    await page.getByTestId('text-filter').fill(hex ?? '');
    await expect.poll(() => shownCount(page)).toBeLessThanOrEqual(n);
    await expect(page.getByTestId('event-preview').first()).toContainText(hex ?? '');
    await page.getByTestId('clear-filters').click();
    expect(await shownCount(page)).toBe(10_000);
  } finally {
    await simulators(page, mote, app, 'stop');
  }

  // Clear empties the table and the note (still paused, so nothing refills it meanwhile).
  await page.getByTestId('clear').click();
  await expect(page.getByTestId('row-count')).toHaveText('0 events');
  await expect(page.getByTestId('dropped-note')).toHaveCount(0);
  await expect(page.getByTestId('event-table-empty')).toBeVisible();
});
