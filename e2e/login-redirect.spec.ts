import { expect, test } from './fixtures';

/**
 * Issue 17, item 6: `?next=` after login is attacker-chosen. These sent the browser to
 * http://evil.example/ before; now every one lands on the console's own home page, and a real
 * console path is still honoured.
 */
const ATTACKS = ['/%5Cevil.example/', '/%09/evil.example/', '//evil.example/', 'https://evil.example/'];

test('after login, ?next= goes only to a path on this origin', async ({ page, mote }) => {
  // Nothing may leave for another host, even if a check were missed.
  await page.route(
    (url) => url.hostname.endsWith('evil.example'),
    (route) => route.abort(),
  );
  const signIn = async (next: string) => {
    await page.context().clearCookies();
    await page.goto(`${mote.url}/login?next=${next}`);
    await page.getByLabel('Password').fill(mote.adminPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
    return new URL(page.url());
  };
  for (const next of ATTACKS) {
    const landed = await signIn(next);
    expect(landed.origin, next).toBe(mote.url);
    expect(landed.pathname, next).toBe('/');
  }
  const landed = await signIn(encodeURIComponent('/gateways'));
  expect(landed.href).toBe(`${mote.url}/gateways`);
});
