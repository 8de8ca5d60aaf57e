import { expect, test, uniqueId } from './fixtures';

const euiOf = (n: number) => `00800000A${n.toString(16).toUpperCase().padStart(7, '0')}`;

test('gateways: add through the form, a bad EUI refused, edit the name, delete', async ({
  loggedIn: page,
  mote,
}) => {
  const gtw = uniqueId('gtw');
  const eui = euiOf(Date.now() % 0xfffffff);
  await page.getByTestId('nav-gateways').click();
  await page.waitForURL('**/gateways');
  await page.getByTestId('add-gateway').click();
  const form = page.getByTestId('add-gateway-form');
  await form.locator('input[name="id"]').fill(gtw);
  await form.locator('input[name="eui"]').fill('00800000A00009');
  await form.locator('input[name="name"]').fill('Roof');
  await form.locator('select[name="plan"]').selectOption('EU_863_870');
  await form.locator('input[name="latitude"]').fill('52.37');
  await form.locator('input[name="longitude"]').fill('4.89');
  await form.getByTestId('add-gateway-submit').click();
  // The API's own message, naming the field; nothing created.
  await expect(page.getByTestId('form-error')).toContainText('gateway.ids.eui');
  await expect(page.getByTestId('form-error')).toContainText('must be 8 bytes of hex');
  expect((await page.request.get(`${mote.url}/api/v3/gateways/${gtw}`)).status()).toBe(404);
  // The worker's Mote is shared with other specs (their gateways may be listed): none of this ID.
  await expect(page.getByTestId('gateway-row').filter({ hasText: gtw })).toHaveCount(0);

  await form.locator('input[name="eui"]').fill(eui.toLowerCase());
  await form.getByTestId('add-gateway-submit').click();
  await expect(page.getByTestId('add-gateway-form')).toHaveCount(0);
  const row = page.getByTestId('gateway-row').filter({ hasText: gtw });
  await expect(row).toContainText(eui);
  await expect(row).toContainText('Roof');
  await expect(row).toContainText('EU_863_870');

  await row.getByRole('link', { name: gtw }).click();
  await page.waitForURL(`**/gateways/${gtw}`);
  await expect(page.getByTestId('gateway-id')).toHaveText(gtw);
  await expect(page.getByTestId('gateway-location')).toContainText('52.37, 4.89');
  await page.getByTestId('edit-gateway').click();
  const edit = page.getByTestId('edit-gateway-form');
  await edit.locator('input[name="name"]').fill('Tower');
  await edit.locator('input[name="latitude"]').fill('95');
  await edit.getByTestId('save-gateway').click();
  await expect(page.getByTestId('form-error')).toContainText('gateway.antennas.0.location.latitude');
  await edit.locator('input[name="latitude"]').fill('52.5');
  await edit.getByTestId('save-gateway').click();
  await expect(page.getByTestId('gateway-name')).toHaveText('Tower');
  await expect(page.getByTestId('gateway-location')).toContainText('52.5, 4.89');

  await page.getByTestId('delete-gateway').click();
  await page.getByTestId('confirm-cancel').click();
  await expect(page.getByTestId('gateway-details')).toBeVisible();
  await page.getByTestId('delete-gateway').click();
  await page.getByTestId('confirm-ok').click();
  await page.waitForURL(/\/gateways$/);
  await expect(page.getByTestId('gateway-row').filter({ hasText: gtw })).toHaveCount(0);
  const after = await page.request.get(`${mote.url}/api/v3/gateways/${gtw}`);
  expect(after.status()).toBe(404);
});
