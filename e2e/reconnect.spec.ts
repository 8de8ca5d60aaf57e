import { readFileSync } from 'node:fs';
import type { WebSocketRoute } from '@playwright/test';
import { at } from '../test/helpers/at';
import { apiCall, expect, test, uniqueEui, uniqueId } from './fixtures';

test('a dropped connection shows reconnecting/offline, then a gap marker; the gap is backfilled without duplicates', async ({
  loggedIn: page,
  mote,
  context,
}) => {
  const app = uniqueId('gap');
  await apiCall(page, mote, 'POST', '/api/v3/applications', {
    application: { ids: { application_id: app } },
  });
  await apiCall(page, mote, 'POST', `/api/v3/applications/${app}/devices`, {
    end_device: { ids: { device_id: 'sensor-a', dev_eui: uniqueEui(), join_eui: '0000000000000000' } },
  });
  await apiCall(page, mote, 'POST', `/api/v3/sim/applications/${app}/devices/sensor-a/start`, {
    interval: '500ms',
    ack_loss: 0,
  });

  // The console's MQTT-over-WebSocket goes through the test, which can cut it like a network would.
  let cut = false;
  let current: WebSocketRoute | undefined;
  await page.routeWebSocket(/\/mqtt$/, (ws) => {
    if (cut) return ws.close({ code: 1011, reason: 'network down' });
    ws.connectToServer();
    current = ws;
  });

  await page.goto(`${mote.url}/applications/${app}/live`);
  const badge = page.getByTestId('connection-badge');
  await expect(badge).toHaveAttribute('data-status', 'connected');
  await expect(page.locator('[data-testid="event-row"][data-type="up"]').nth(2)).toBeVisible({
    timeout: 30_000,
  });

  cut = true;
  await current?.close({ code: 1011, reason: 'network down' });
  await expect(badge).toHaveAttribute('data-status', 'reconnecting');
  await context.setOffline(true);
  await expect(badge).toHaveAttribute('data-status', 'offline');
  await expect(badge).toContainText(/offline/i);
  // Traffic goes on while the console is away.
  const before = await apiCall<{ f_cnt?: number }>(
    page,
    mote,
    'GET',
    `/api/v3/sim/applications/${app}/devices/sensor-a`,
  );
  await expect
    .poll(
      async () =>
        (
          await apiCall<{ f_cnt?: number }>(
            page,
            mote,
            'GET',
            `/api/v3/sim/applications/${app}/devices/sensor-a`,
          )
        ).f_cnt ?? 0,
    )
    .toBeGreaterThanOrEqual((before.f_cnt ?? 0) + 4);

  cut = false;
  await context.setOffline(false);
  await expect(badge).toHaveAttribute('data-status', 'connected');
  const gap = page.getByTestId('gap-row');
  await expect(gap).toHaveCount(1);
  await expect(gap).toContainText(/[1-9]\d* event\(s\) recovered from history/);
  console.log(`gap marker: ${await gap.textContent()}`);

  // None missing, none twice: the exported uplinks count up without a hole or a repeat.
  await page.getByTestId('pause').click();
  const [json] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-json').click()]);
  const exported = JSON.parse(readFileSync((await json.path()) ?? '', 'utf8')) as {
    uplink_message?: { f_cnt?: number };
  }[];
  const fcnts = exported.flatMap((m) => (m.uplink_message ? [m.uplink_message.f_cnt ?? 0] : []));
  const sorted = [...fcnts].sort((a, b) => a - b);
  expect(new Set(fcnts).size).toBe(fcnts.length);
  expect(sorted).toEqual(Array.from({ length: sorted.length }, (_, i) => at(sorted, 0) + i));
  expect(sorted.at(-1)).toBeGreaterThanOrEqual((before.f_cnt ?? 0) + 3);
});
