import { expect, test, uniqueId } from './fixtures';

test('every console page is behind the session', async ({ page, mote }) => {
  await page.goto(`${mote.url}/applications/whatever/live`);
  await expect(page).toHaveURL(/\/login\?next=/);
});

test('applications: create, list, delete after typing the ID', async ({ loggedIn: page }) => {
  const app = uniqueId('apps');
  await page.getByTestId('new-app').click();
  await page.locator('input[name="application_id"]').fill('Bad ID!');
  await page.getByTestId('create-app-submit').click();
  await expect(page.getByTestId('form-error')).toContainText(/application_id|lowercase/i);

  await page.locator('input[name="application_id"]').fill(app);
  await page.getByTestId('create-app-submit').click();
  await page.waitForURL(`**/applications/${app}`);
  await page.getByRole('link', { name: 'Applications' }).first().click();
  const row = page.getByTestId('app-row').filter({ hasText: app });
  await expect(row).toBeVisible();

  await row.getByTestId('delete-app').click();
  await page.getByTestId('confirm-cancel').click();
  await expect(row).toBeVisible();
  // As TTS: the application's ID typed out arms the button.
  await row.getByTestId('delete-app').click();
  await expect(page.getByTestId('confirm-ok')).toBeDisabled();
  await page.getByTestId('confirm-type').fill(`${app}x`);
  await expect(page.getByTestId('confirm-ok')).toBeDisabled();
  await page.getByTestId('confirm-type').fill(app);
  await page.getByTestId('confirm-ok').click();
  await expect(row).toHaveCount(0);
});

test('a wrong password is refused with a message; logging out ends the session', async ({ page, mote }) => {
  await page.goto(`${mote.url}/login`);
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  // Next's route announcer is an (empty) alert too: look for ours by its text.
  await expect(page.getByRole('alert').filter({ hasText: 'wrong password' })).toBeVisible();
  await expect(page).toHaveURL(/\/login/);

  await page.getByLabel('Password').fill(mote.adminPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('new-app')).toBeVisible();

  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto(`${mote.url}/`);
  await expect(page).toHaveURL(/\/login\?next=/);
  const api = await page.request.get(`${mote.url}/api/v3/applications`);
  expect(api.status()).toBe(401);
});
