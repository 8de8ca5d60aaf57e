import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { apiCall, expect, type Mote, screenshot, test, uniqueEui, uniqueId } from './fixtures';

// Line 2 is where QuickJS stops: an expression is missing after `=`.
const BROKEN = `function decodeUplink(input) {
  var t = ;
  return { data: { t: t } };
}`;

const DECODER = `function decodeUplink(input) {
  var b = input.bytes;
  return { data: { temperature: ((b[0] << 8) | b[1]) / 100, humidity: b[2] / 2 } };
}`;

async function appWithDevice(page: Page, mote: Mote) {
  const app = uniqueId('fed');
  await apiCall(page, mote, 'POST', '/api/v3/applications', {
    application: { ids: { application_id: app } },
  });
  await apiCall(page, mote, 'POST', `/api/v3/applications/${app}/devices`, {
    end_device: { ids: { device_id: 'probe', dev_eui: uniqueEui(), join_eui: '0000000000000000' } },
  });
  return app;
}

/** WCAG A/AA problems (colour contrast among them) inside the formatter editor. */
const axeViolations = async (page: Page) =>
  (
    await new AxeBuilder({ page })
      .include('[data-testid="formatter-editor"]')
      .withTags(['wcag2a', 'wcag2aa'])
      .analyze()
  ).violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);

/** The browser's own leave-page check, as a reload or a closed tab would run it. */
const beforeUnloadAsks = (page: Page) =>
  page.evaluate(() => {
    const e = new Event('beforeunload', { cancelable: true });
    window.dispatchEvent(e);
    return e.defaultPrevented;
  });

test('the code editor marks the error line, tests with the last uplink, guards unsaved edits; a device shows what it inherits', async ({
  loggedIn: page,
  mote,
}) => {
  // CodeMirror injects its styles at run time: the console's CSP must let it (and refuse nothing).
  const cspViolations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
  });
  const app = await appWithDevice(page, mote);
  await page.goto(`${mote.url}/applications/${app}/formatters`);
  await page.getByTestId('formatter-type').selectOption('FORMATTER_JAVASCRIPT');
  const script = page.getByTestId('formatter-script');
  await expect(script).toContainText('function decodeUplink');

  // A syntax error: the test names line 2 and the editor marks it.
  await script.fill(BROKEN);
  await page.locator('input[name="test_input"]').fill('08CA5B');
  await page.getByTestId('formatter-test-run').click();
  await expect(page.getByTestId('formatter-test-error')).toContainText('SyntaxError');
  await expect(page.getByTestId('formatter-test-error-line')).toHaveText(' (line 2)');
  await expect(page.getByTestId('formatter-error-line')).toHaveText('  var t = ;');
  await screenshot(page, 'formatter-error-line');
  expect(await axeViolations(page)).toEqual([]);

  // The editor follows the system's dark mode, its contrast kept.
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(page.locator('.cm-editor')).toHaveCSS('background-color', 'rgb(15, 23, 42)');
  expect(await axeViolations(page)).toEqual([]);
  await page.emulateMedia({ colorScheme: 'light' });
  await expect(page.locator('.cm-editor')).toHaveCSS('background-color', 'rgb(255, 255, 255)');

  // Fixed, and tested on the newest stored uplink of the application.
  await script.fill(DECODER);
  await page.getByTestId('formatter-test-last-uplink').click();
  await expect(page.getByTestId('formatter-test-no-uplink')).toBeVisible();
  await apiCall(page, mote, 'POST', `/api/v3/as/applications/${app}/devices/probe/up/simulate`, {
    uplink_message: { f_port: 2, frm_payload: 'CMpb' },
  });
  await expect(async () => {
    await page.getByTestId('formatter-test-last-uplink').click();
    await expect(page.getByTestId('formatter-test-output')).toContainText('"temperature": 22.5', {
      timeout: 1000,
    });
  }).toPass();
  await expect(page.locator('input[name="test_f_port"]')).toHaveValue('2');
  await expect(page.locator('input[name="test_input"]')).toHaveValue('08CA5B');
  await expect(page.getByTestId('formatter-error-line')).toHaveCount(0);

  // Unsaved: a link asks first, and the browser would ask before unloading.
  await expect(page.getByTestId('formatter-unsaved')).toBeVisible();
  expect(await beforeUnloadAsks(page)).toBe(true);
  await page.getByTestId('tab-devices').click();
  await expect(page.getByTestId('confirm-dialog')).toBeVisible();
  await page.getByTestId('confirm-dialog').getByRole('button', { name: 'Cancel' }).click();
  await expect(page).toHaveURL(/\/formatters$/);
  await expect(script).toContainText('humidity: b[2] / 2');

  // Saved: nothing to ask any more.
  await page.getByTestId('formatter-save').click();
  await expect(page.getByTestId('formatter-saved')).toBeVisible();
  expect(await beforeUnloadAsks(page)).toBe(false);

  // The device has no formatters of its own: the page shows the application's, read-only.
  await page.goto(`${mote.url}/applications/${app}/devices/probe/formatters`);
  await expect(page.getByTestId('formatter-inherited')).toContainText(
    'Inherited from the application: JavaScript for uplinks, None for downlinks',
  );
  await expect(page.getByTestId('formatter-type')).toHaveValue('FORMATTER_JAVASCRIPT');
  await expect(page.getByTestId('formatter-type')).toBeDisabled();
  await expect(script).toContainText('humidity: b[2] / 2');
  await expect(script).toHaveAttribute('contenteditable', 'false');

  // Taking its own formatters starts from the application's; leaving unsaved asks, then goes.
  await page.getByTestId('formatter-override').check();
  await expect(script).toHaveAttribute('contenteditable', 'true');
  await expect(script).toContainText('humidity: b[2] / 2');
  await page.getByTestId('tab-devices').click();
  await page.getByTestId('confirm-dialog').getByRole('button', { name: 'Leave' }).click();
  await expect(page).toHaveURL(new RegExp(`/applications/${app}/devices$`));
  expect(cspViolations).toEqual([]);
});

test("saving a script that does not compile is refused: the server's message beside the editor, the line marked, nothing stored", async ({
  loggedIn: page,
  mote,
}) => {
  const app = await appWithDevice(page, mote);
  await page.goto(`${mote.url}/applications/${app}/formatters`);
  await page.getByTestId('formatter-direction-down').click();
  await page.getByTestId('formatter-type').selectOption('FORMATTER_JAVASCRIPT');
  const script = page.getByTestId('formatter-script');
  await script.fill(`function encodeDownlink(input) {\n  return { bytes: [ };\n}`);
  // Saved from the uplink side: the refusal brings the downlink script back into view.
  await page.getByTestId('formatter-direction-up').click();
  await page.getByTestId('formatter-save').click();
  await expect(page.getByTestId('formatter-save-error')).toContainText(
    '`down_formatter_parameter` does not compile: SyntaxError',
  );
  await expect(page.getByTestId('formatter-direction-down')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('formatter-save-error-line')).toContainText('line 2 of the downlink script');
  await expect(page.getByTestId('formatter-error-line')).toHaveText('  return { bytes: [ };');
  await expect(page.getByTestId('formatter-unsaved')).toBeVisible();
  expect(await axeViolations(page)).toEqual([]);
  const stored = await apiCall<Record<string, unknown>>(
    page,
    mote,
    'GET',
    `/api/v3/as/applications/${app}/link`,
  );
  expect(stored).toEqual({});

  // Fixed: the mark and the message go as soon as the script is edited, and it saves.
  await script.fill('function encodeDownlink(input) {\n  return { bytes: [1] };\n}');
  await expect(page.getByTestId('formatter-save-error')).toHaveCount(0);
  await expect(page.getByTestId('formatter-error-line')).toHaveCount(0);
  await page.getByTestId('formatter-save').click();
  await expect(page.getByTestId('formatter-saved')).toBeVisible();
});

test('the Back button with unsaved edits asks first: declined, the edits stay; accepted, it goes back', async ({
  loggedIn: page,
  mote,
}) => {
  const app = await appWithDevice(page, mote);
  await page.goto(`${mote.url}/applications/${app}/devices`);
  await page.getByTestId('tab-payload-formatters').click();
  await expect(page).toHaveURL(/\/formatters$/);
  await page.getByTestId('formatter-type').selectOption('FORMATTER_JAVASCRIPT');
  const script = page.getByTestId('formatter-script');
  await script.fill(DECODER);
  await expect(page.getByTestId('formatter-unsaved')).toBeVisible();

  await page.goBack({ waitUntil: 'commit' });
  await expect(page.getByTestId('confirm-dialog')).toBeVisible();
  await page.getByTestId('confirm-dialog').getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByTestId('confirm-dialog')).toHaveCount(0);
  await expect(page).toHaveURL(/\/formatters$/);
  await expect(script).toContainText('humidity: b[2] / 2');

  // Asked again on the next Back; this time it leaves, to the page before.
  await page.goBack({ waitUntil: 'commit' });
  await page.getByTestId('confirm-dialog').getByRole('button', { name: 'Leave' }).click();
  await expect(page).toHaveURL(new RegExp(`/applications/${app}/devices$`));
  await expect(page.getByTestId('device-table')).toBeVisible();
});
