import { consolePages, seedConsole } from './consolePages';
import { expect, test } from './fixtures';

/** Issue 16: the console's frame — addresses, titles, 404s, keyboard and colour scheme. */

test('a deep link survives login, path and query', async ({ loggedIn: page, mote }) => {
  const { app } = await seedConsole(page, mote);
  const deep = `/applications/${app}/live?device=sensor-a`;
  await page.context().clearCookies();
  await page.goto(`${mote.url}${deep}`);
  await page.waitForURL((u) => u.pathname === '/login');
  expect(new URL(page.url()).searchParams.get('next')).toBe(deep);
  await page.getByLabel('Password').fill(mote.adminPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  const landed = new URL(page.url());
  expect(`${landed.pathname}${landed.search}`).toBe(deep);
});

test('404 pages say what is missing, link back, and break no content security policy', async ({
  loggedIn: page,
  mote,
}) => {
  const cspErrors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) cspErrors.push(m.text());
  });
  await page.goto(`${mote.url}/applications/no-such-app`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('There is no application no-such-app.');
  await page.getByTestId('not-found-back').click();
  await page.waitForURL(`${mote.url}/`);

  const res = await page.goto(`${mote.url}/no/such/page`);
  expect(res?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('There is no page at /no/such/page.');
  await expect(page).toHaveTitle('Not found · Mote');
  // The page is interactive (its scripts ran under the policy): the link navigates client-side.
  await page.getByTestId('not-found-back').click();
  await page.waitForURL(`${mote.url}/`);
  expect(cspErrors).toEqual([]);
});

test('each page has its own title', async ({ loggedIn: page, mote }) => {
  for (const p of consolePages(await seedConsole(page, mote))) {
    await page.goto(`${mote.url}${p.path}`);
    await expect(page, p.name).toHaveTitle(p.title);
  }
});

test('the skip link is the first Tab stop and moves focus to the page', async ({ loggedIn: page, mote }) => {
  await page.goto(`${mote.url}/gateways`);
  await page.keyboard.press('Tab');
  const skip = page.getByTestId('skip-link');
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();
  await page.keyboard.press('Enter');
  await expect(page.locator('main#main')).toBeFocused();
  // The next Tab goes into the page, not back to the header.
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => document.activeElement?.closest('main')?.id)).toBe('main');
});

test('the event table is one Tab stop; arrow keys move inside it', async ({ loggedIn: page, mote }) => {
  const { app, dev } = await seedConsole(page, mote);
  await page.goto(`${mote.url}/applications/${app}/devices/${dev}`);
  const rows = page.getByTestId('event-row');
  await expect(rows.nth(1)).toBeVisible();
  const table = page.getByTestId('event-table');
  expect(await table.locator('[tabindex="0"]').count()).toBe(1);
  const keys = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-key')));

  // From the filter just above it, one Tab lands on the newest row.
  const focusedKey = () => page.evaluate(() => document.activeElement?.getAttribute('data-key') ?? null);
  await page.getByTestId('cid-filter').focus();
  await page.keyboard.press('Tab');
  expect(await focusedKey()).toBe(keys[0]);

  await page.keyboard.press('ArrowDown');
  await expect.poll(focusedKey).toBe(keys[1]);
  await expect(rows.nth(1)).toHaveAttribute('aria-current', 'true');
  await expect(page.getByTestId('detail-panel')).toBeVisible();
  await page.keyboard.press('ArrowUp');
  await expect.poll(focusedKey).toBe(keys[0]);
  await page.keyboard.press('End');
  await expect.poll(focusedKey).toBe(keys[1]);

  // One more Tab leaves the table; Shift+Tab comes back to the selected row.
  await page.keyboard.press('Tab');
  expect(await table.evaluate((t) => t.contains(document.activeElement))).toBe(false);
  await page.keyboard.press('Shift+Tab');
  await expect.poll(focusedKey).toBe(keys[1]);
});

test('the dark mode toggle overrides the system setting and persists', async ({ loggedIn: page, mote }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto(`${mote.url}/gateways`);
  const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const light = await background();
  await page.getByTestId('theme-toggle').click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  const dark = await background();
  expect(dark).not.toBe(light);

  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  expect(await background()).toBe(dark);
  await page.goto(`${mote.url}/`);
  expect(await background()).toBe(dark);

  // Back to light, even with a dark system setting.
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.getByTestId('theme-toggle').click();
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  expect(await background()).toBe(light);
});
