import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { consolePages, seedConsole } from './consolePages';
import { expect, test } from './fixtures';

/**
 * Issue 16: every console page, on a desktop and on a phone, has no serious or critical axe-core
 * violation (WCAG 2.1 A/AA) and, on the phone, does not scroll sideways; dark mode is audited on
 * the desktop (its colours do not change with the width; the walk is the slowest e2e test). One
 * login, one walk: each page is loaded once per (scheme, viewport).
 */
const DESKTOP = { name: 'desktop', width: 1440, height: 900 } as const;
const PHONE = { name: 'phone', width: 390, height: 844 } as const;
const WALKS = [
  { scheme: 'light', viewport: DESKTOP },
  { scheme: 'light', viewport: PHONE },
  { scheme: 'dark', viewport: DESKTOP },
] as const;

test('every console page: no serious or critical axe violations, no sideways scroll at 390 px', async ({
  loggedIn: page,
  mote,
  browser,
}) => {
  // About 42 axe runs: ~2 min on an idle 2-core machine, several times that on a loaded one.
  test.setTimeout(900_000);
  const pages = consolePages(await seedConsole(page, mote));
  const device = pages.find((p) => p.name === 'device')?.path ?? '';
  // The login page, as someone not yet signed in meets it.
  const guestContext = await browser.newContext();
  const guest = await guestContext.newPage();
  const problems: string[] = [];
  for (const { scheme, viewport } of WALKS) {
    const where = (name: string) => `${name} (${scheme}, ${viewport.name})`;
    for (const p of [page, guest]) {
      await p.emulateMedia({ colorScheme: scheme });
      await p.setViewportSize(viewport);
    }
    await guest.goto(`${mote.url}/login`);
    problems.push(...(await audit(guest, where('login'), viewport.width)));
    for (const p of pages) {
      await page.goto(`${mote.url}${p.path}`);
      await expect(page.locator('h1'), where(p.name)).toHaveCount(1);
      // The device page's event table fills from history after load: audit it with its rows.
      if (p.path === device) await expect(page.getByTestId('event-row').first()).toBeVisible();
      problems.push(...(await audit(page, where(p.name), viewport.width)));
    }
    // An event opened: the detail pane (a bottom sheet on the phone).
    await page.goto(`${mote.url}${device}`);
    await page.getByTestId('event-row').first().click();
    await expect(page.getByTestId('detail-json')).toBeVisible();
    problems.push(...(await audit(page, where('event details'), viewport.width)));
  }
  await guestContext.close();
  expect(problems, problems.join('\n')).toEqual([]);
});

async function audit(page: Page, where: string, width: number): Promise<string[]> {
  const found: string[] = [];
  const { violations } = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    // Only violations are read: collecting every passing node roughly doubles axe's time.
    .options({ resultTypes: ['violations'] })
    .analyze();
  for (const v of violations) {
    if (v.impact !== 'serious' && v.impact !== 'critical') continue;
    const nodes = v.nodes
      .slice(0, 3)
      .map((n) => `${n.target.join(' ')}: ${n.failureSummary?.split('\n')[1]?.trim() ?? ''}`);
    found.push(`${where}: ${v.id} (${v.impact}, ${v.nodes.length}×) ${nodes.join(' | ')}`);
  }
  if (width < 640) {
    const { scroll, client } = await page.evaluate(() => {
      const el = document.scrollingElement ?? document.documentElement;
      return { scroll: el.scrollWidth, client: el.clientWidth };
    });
    if (scroll > client) found.push(`${where}: scrolls sideways (${scroll} px wide in ${client} px)`);
  }
  return found;
}
