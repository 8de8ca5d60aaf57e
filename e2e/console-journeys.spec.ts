import type { Page } from '@playwright/test';
import mqtt from 'mqtt';
import { seedConsole } from './consolePages';
import { apiCall, expect, test } from './fixtures';

/**
 * Issue 16, the rest of the console's frame: one breadcrumb trail, the application switcher, the
 * MQTT card, the rights picker, the phone layout and a focus ring on every Tab stop.
 */
const PHONE = { width: 390, height: 844 };

test('one breadcrumb trail; the application switcher finds an application by part of its ID', async ({
  loggedIn: page,
  mote,
}) => {
  const { app, dev } = await seedConsole(page, mote);
  await page.goto(`${mote.url}/applications/${app}/devices/${dev}/settings`);
  const trail = page.getByRole('navigation', { name: 'Breadcrumb' });
  await expect(trail).toHaveCount(1);
  await expect(trail.getByRole('listitem')).toHaveText([
    'Applications/',
    `${app}/`,
    'End devices/',
    `${dev}/`,
    'Settings',
  ]);
  await expect(trail.locator('[aria-current="page"]')).toHaveText('Settings');
  await trail.getByRole('link', { name: app }).click();
  await page.waitForURL(`${mote.url}/applications/${app}`);

  await page.goto(`${mote.url}/gateways`);
  const go = page.getByRole('combobox', { name: 'Go to application' });
  await go.fill(app.slice(app.indexOf('-') + 1));
  await go.press('Enter');
  await page.waitForURL(`${mote.url}/applications/${app}`);
  await go.fill('no-such-application');
  await go.press('Enter');
  await expect(page.getByTestId('app-switcher').getByRole('status')).toHaveText(
    'No application matches “no-such-application”.',
  );
  expect(page.url()).toBe(`${mote.url}/applications/${app}`);
});

/** Connects as `app` with `key` to `url`; resolves with the first message on `topic`. */
async function firstMessage(url: string, app: string, key: string, topic: string) {
  const client = await mqtt.connectAsync(url, { username: app, password: key, reconnectPeriod: 0 });
  const got = new Promise<{ topic: string; body: { correlation_ids?: string[] } }>((resolve) =>
    client.once('message', (t, payload) => resolve({ topic: t, body: JSON.parse(payload.toString()) })),
  );
  await client.subscribeAsync(topic, { qos: 0 });
  return { client, got };
}

test('MQTT card: the host the browser used, TCP and WebSocket rows that reach the same stream, commands that copy', async ({
  loggedIn: page,
  mote,
  context,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: mote.url });
  const { app, dev } = await seedConsole(page, mote);
  await page.goto(`${mote.url}/applications/${app}`);
  // The server knows itself as localhost; the browser came by 127.0.0.1, and is told that.
  await expect(page.getByTestId('mqtt-address')).toHaveText(`127.0.0.1:${mote.mqttPort}`);
  await expect(page.getByTestId('mqtt-ws')).toHaveText(`ws://127.0.0.1:${mote.httpPort}/mqtt`);
  await page.getByTestId('generate-mqtt-key').click();
  const key = (await page.getByTestId('new-key').textContent()) ?? '';
  expect(key).toMatch(/^NNSXS\./);

  const subscribe = page.getByTestId('mqtt-subscribe');
  await expect(subscribe).toContainText(`-h 127.0.0.1 -p ${mote.mqttPort} -u ${app} -P '${key}'`);
  const command = (await subscribe.textContent()) ?? '';
  await page.getByTestId('copy-mqtt-subscribe').click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(command);
  await expect(page.getByTestId('mqtt-publish')).toContainText(
    `-t 'v3/${app}/devices/<device ID>/down/push'`,
  );

  // Both rows, as shown, reach the same stream with that key and the command's topic.
  const topic = /-t '([^']+)'/.exec(command)?.[1] ?? '';
  const address = (await page.getByTestId('mqtt-address').textContent()) ?? '';
  const ws = (await page.getByTestId('mqtt-ws').textContent()) ?? '';
  const tcp = await firstMessage(`mqtt://${address}`, app, key, topic);
  const web = await firstMessage(ws, app, key, topic);
  try {
    await apiCall(page, mote, 'POST', `/api/v3/as/applications/${app}/devices/${dev}/up/simulate`, {
      uplink_message: { f_port: 3, frm_payload: 'AQID' },
    });
    const [overTcp, overWs] = await Promise.all([tcp.got, web.got]);
    expect(overTcp.topic).toBe(`v3/${app}/devices/${dev}/up`);
    expect(overWs).toEqual(overTcp);
  } finally {
    await Promise.all([tcp.client.endAsync(), web.client.endAsync()]);
  }
});

test('rights picker: TTS descriptions, one spelling, and "all" chosen alone', async ({
  loggedIn: page,
  mote,
}) => {
  const { app } = await seedConsole(page, mote);
  await page.goto(`${mote.url}/applications/${app}/api-keys`);
  await page.getByTestId('new-api-key').click();
  const right = (r: string) => page.getByTestId(`right-RIGHT_APPLICATION_${r}`);
  const others = ['INFO', 'DEVICES_READ', 'TRAFFIC_READ', 'TRAFFIC_DOWN_WRITE', 'DELETE', 'LINK'];

  // "all" stands for every right: the others show as included and cannot be ticked besides.
  await right('ALL').check();
  await expect(page.getByTestId('preset-all')).toBeChecked();
  for (const r of others) {
    await expect(right(r)).toBeChecked();
    await expect(right(r)).toBeDisabled();
  }
  await right('ALL').uncheck();
  for (const r of others) await expect(right(r)).not.toBeChecked();

  // Each right: The Things Stack's description, then the one short name used everywhere.
  const label = page.locator('label').filter({ has: right('TRAFFIC_READ') });
  await expect(label).toHaveText('Read application traffic (uplink and downlink)traffic_read');
  await right('TRAFFIC_READ').check();
  await right('DEVICES_READ').check();
  await page.locator('form[data-testid="api-key-form"] input[name="name"]').fill('reader');
  await page.getByTestId('api-key-submit').click();
  await expect(page.getByTestId('key-reveal')).toContainText('Rights: traffic_read, devices_read');
  await page.getByTestId('key-done').click();
  const row = page.getByTestId('api-key-row').filter({ hasText: 'reader' });
  await expect(row).toContainText('traffic_read');
  await expect(row).toContainText('devices_read');
  await expect(row).not.toContainText('RIGHT_APPLICATION');
});

/** Whether the document scrolls sideways. */
const scrollsSideways = (page: Page) =>
  page.evaluate(() => {
    const el = document.scrollingElement ?? document.documentElement;
    return el.scrollWidth > el.clientWidth;
  });

test('on a phone: the tabs scroll on their own, events read as cards, details open as a bottom sheet', async ({
  loggedIn: page,
  mote,
}) => {
  const { app, dev } = await seedConsole(page, mote);
  await page.setViewportSize(PHONE);
  await page.goto(`${mote.url}/applications/${app}`);
  const tabs = page.getByRole('navigation', { name: 'Application' });
  expect(await tabs.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
  expect(await scrollsSideways(page)).toBe(false);
  // The last tab is reached by scrolling the tabs, not the page.
  await page.getByTestId('tab-settings').click();
  await page.waitForURL(`**/applications/${app}/settings`);
  await expect(page.getByTestId('tab-settings')).toBeInViewport();
  expect(await scrollsSideways(page)).toBe(false);

  // A card: time, device and type on one line, the payload on its own full-width line below.
  await page.goto(`${mote.url}/applications/${app}/devices/${dev}`);
  const row = page.locator('[data-testid="event-row"][data-type="up"]').first();
  await expect(row).toBeVisible();
  const time = await row.getByTestId('event-time').boundingBox();
  const preview = await row.getByTestId('event-preview').boundingBox();
  const card = await row.boundingBox();
  expect(preview && time && preview.y >= time.y + time.height).toBe(true);
  expect(preview && card && preview.width >= card.width * 0.8).toBe(true);

  // Details: a sheet from the bottom edge, the full width of the screen.
  await row.click();
  const sheet = page.getByTestId('detail-panel');
  await expect(sheet).toBeVisible();
  await expect(sheet).toHaveCSS('position', 'fixed');
  const box = await sheet.boundingBox();
  expect(box && Math.round(box.y + box.height)).toBe(PHONE.height);
  expect(box && Math.round(box.width)).toBe(PHONE.width);
  await page.keyboard.press('Escape');
  await expect(sheet).toHaveCount(0);

  // The same row on a desktop: one line, the payload beside the time.
  await page.setViewportSize({ width: 1440, height: 900 });
  const wideTime = await row.getByTestId('event-time').boundingBox();
  const widePreview = await row.getByTestId('event-preview').boundingBox();
  expect(wideTime && widePreview && widePreview.y < wideTime.y + wideTime.height).toBe(true);
});

test('every Tab stop on the application overview shows a focus ring', async ({ loggedIn: page, mote }) => {
  const { app } = await seedConsole(page, mote);
  await page.goto(`${mote.url}/applications/${app}`);
  await expect(page.getByTestId('event-row').first()).toBeVisible();
  const seen = new Set<string>();
  const bare: string[] = [];
  // Through the header, the tabs, the live view's controls and table, into the MQTT card.
  for (let i = 0; i < 30; i++) {
    await page.keyboard.press('Tab');
    const stop = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return undefined;
      const s = getComputedStyle(el);
      // The ring is an outline (app/globals.css), whatever an element's own classes say.
      const ring = s.outlineStyle !== 'none' && Number.parseFloat(s.outlineWidth) >= 2;
      const name = `${el.tagName.toLowerCase()}${el.dataset.testid ? `[${el.dataset.testid}]` : ''} “${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 30)}”`;
      return { name, ring };
    });
    if (!stop) continue;
    seen.add(stop.name);
    if (!stop.ring) bare.push(stop.name);
  }
  expect(seen.size).toBeGreaterThanOrEqual(10);
  expect(bare).toEqual([]);
});

test('a page still rendering on the server shows its loading skeleton, then the page', async ({
  loggedIn: page,
  mote,
}) => {
  // The navigation's own request for `/` is held until the skeleton has been seen; the router's
  // prefetch (which brings the skeleton) goes through.
  const isPrefetch = (h: Record<string, string>) =>
    Object.keys(h).some((k) => k.startsWith('next-router-prefetch'));
  let release = () => {};
  const held = new Promise<void>((r) => {
    release = r;
  });
  await page.route(
    (u) => u.pathname === '/' && u.searchParams.has('_rsc'),
    async (route) => {
      if (!isPrefetch(route.request().headers())) await held;
      await route.continue();
    },
  );
  const prefetched = page.waitForResponse(
    (r) => new URL(r.url()).pathname === '/' && isPrefetch(r.request().headers()),
  );
  await page.goto(`${mote.url}/gateways`);
  await prefetched;
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Applications' }).click();
  await expect(page.getByTestId('page-loading')).toBeVisible();
  await expect(page.getByTestId('page-loading')).toHaveAttribute('role', 'status');
  release();
  await expect(page.getByTestId('page-loading')).toHaveCount(0);
  await expect(page.getByTestId('new-app')).toBeVisible();
  expect(new URL(page.url()).pathname).toBe('/');
});
