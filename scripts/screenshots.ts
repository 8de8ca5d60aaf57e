/**
 * The README's console screenshots (docs/img/*.png), taken from a freshly started demo Mote so
 * they show the console as it is: `npx tsx scripts/screenshots.ts` after `npx next build`.
 * Re-run and commit the PNGs when a screenshotted page changes.
 */
import { rmSync } from 'node:fs';
import { chromium, type Page } from '@playwright/test';
import { login, startMote } from '../e2e/fixtures';

const OUT = 'docs/img';
/** Enough uplinks that the table, charts and decoded values have something to show. */
const UPLINKS_SHOWN = 8;

async function waitForTraffic(page: Page) {
  await page
    .getByTestId('event-row')
    .nth(UPLINKS_SHOWN - 1)
    .waitFor({ timeout: 120_000 });
}

async function main() {
  const { mote, child, dataDir } = await startMote({ MOTE_DEMO: '1' });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
    await login(page, mote, '/applications/demo');
    await waitForTraffic(page);
    await page.screenshot({ path: `${OUT}/console-application.png` });

    await page.goto(`${mote.url}/applications/demo/devices/sensor-1`);
    await waitForTraffic(page);
    await page.getByTestId('event-row').first().click();
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: `${OUT}/console-device-dark.png` });

    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, colorScheme: 'light' });
    await phone.context().addCookies(await page.context().cookies());
    await phone.goto(`${mote.url}/applications/demo/live`);
    await waitForTraffic(phone);
    await phone.screenshot({ path: `${OUT}/console-live-phone.png` });
  } finally {
    await browser.close();
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
