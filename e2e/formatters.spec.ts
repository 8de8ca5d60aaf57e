import type { Page } from '@playwright/test';
import { apiCall, expect, type Mote, screenshot, test, uniqueEui, uniqueId } from './fixtures';

const DECODER = `function decodeUplink(input) {
  var b = input.bytes;
  if (b.length !== 3) return { errors: ['need 3 bytes, got ' + b.length] };
  var t = (b[0] << 8) | b[1];
  return { data: { temperature: t / 100, humidity: b[2] / 2, note: '<img src=x onerror=alert(1)>' } };
}`;

const ENCODER = `function encodeDownlink(input) {
  return { bytes: [input.data.level], fPort: 7 };
}`;

async function appWithDevice(page: Page, mote: Mote) {
  const app = uniqueId('fmt');
  await apiCall(page, mote, 'POST', '/api/v3/applications', {
    application: { ids: { application_id: app } },
  });
  await apiCall(page, mote, 'POST', `/api/v3/applications/${app}/devices`, {
    end_device: { ids: { device_id: 'probe', dev_eui: uniqueEui(), join_eui: '0000000000000000' } },
  });
  return app;
}

async function runTest(page: Page, fPort: string, input: string) {
  await page.locator('input[name="test_f_port"]').fill(fPort);
  await page.locator('input[name="test_input"]').fill(input);
  await page.getByTestId('formatter-test-run').click();
}

test('write a decoder, test it before saving, save; uplinks show decoded values', async ({
  loggedIn: page,
  mote,
}) => {
  page.on('dialog', () => {
    throw new Error('a script string was executed as markup');
  });
  const app = await appWithDevice(page, mote);
  await page.goto(`${mote.url}/applications/${app}/formatters`);

  // Uplink: JavaScript, tested on bytes before saving.
  await page.getByTestId('formatter-type').selectOption('FORMATTER_JAVASCRIPT');
  // The script editor is CodeMirror's contenteditable: its text, not a textarea's value.
  await expect(page.getByTestId('formatter-script')).toContainText('function decodeUplink');
  await page.getByTestId('formatter-script').fill(DECODER);
  await runTest(page, '1', '08 CA 5B');
  await expect(page.getByTestId('formatter-test-output')).toContainText('"temperature": 22.5');
  await expect(page.getByTestId('formatter-test-output')).toContainText('<img src=x onerror=alert(1)>');
  await runTest(page, '1', '01');
  await expect(page.getByTestId('formatter-test-error')).toHaveText(
    'script_output_errors: need 3 bytes, got 1',
  );
  await page.getByTestId('formatter-script').fill('function decodeUplink() { while (true) {} }');
  await runTest(page, '1', '01');
  await expect(page.getByTestId('formatter-test-error')).toContainText('formatter_timeout');
  await page.getByTestId('formatter-script').fill(DECODER);

  // Downlink: an encoder, tested with JSON.
  await page.getByTestId('formatter-direction-down').click();
  await page.getByTestId('formatter-type').selectOption('FORMATTER_JAVASCRIPT');
  await page.getByTestId('formatter-script').fill(ENCODER);
  await runTest(page, '1', '{"level": 255}');
  await expect(page.getByTestId('formatter-test-output')).toContainText('FPort 7 · bytes FF');
  await screenshot(page, 'formatter-editor');
  await page.getByTestId('formatter-save').click();
  await expect(page.getByTestId('formatter-saved')).toBeVisible();

  const link = await apiCall<{ default_formatters: Record<string, string> }>(
    page,
    mote,
    'GET',
    `/api/v3/as/applications/${app}/link`,
  );
  expect(link.default_formatters).toEqual({
    up_formatter: 'FORMATTER_JAVASCRIPT',
    up_formatter_parameter: DECODER,
    down_formatter: 'FORMATTER_JAVASCRIPT',
    down_formatter_parameter: ENCODER,
  });

  // The device page: a simulated uplink shows decoded values in the table and the chart.
  await page.goto(`${mote.url}/applications/${app}/devices/probe`);
  await expect(page.getByTestId('connection-badge')).toHaveAttribute('data-status', 'connected');
  await page.getByTestId('device-tab-uplink').click();
  await page.locator('input[name="up_f_port"]').fill('1');
  await page.locator('input[name="up_payload"]').fill('08CA5B');
  await page.getByTestId('uplink-submit').click();
  const up = page.locator('[data-testid="event-row"][data-type="up"]').first();
  await expect(up.getByTestId('event-decoded')).toContainText('"temperature":22.5');
  await expect(up.getByTestId('event-decoded')).toContainText('<img src=x onerror=alert(1)>');
  await expect(page.locator('[data-testid="decoded-series"][data-field="temperature"]')).toContainText(
    '22.5',
  );

  // A JSON downlink from the form goes through the encoder.
  await page.getByTestId('device-tab-downlink').click();
  await page.getByTestId('payload-format').selectOption('json');
  await page.locator('input[name="payload"]').fill('{"level": 16}');
  await page.getByTestId('downlink-submit').click();
  await expect(page.getByTestId('downlink-ok')).toBeVisible();
  const queued = page.locator('[data-testid="event-row"][data-type="down/queued"]').first();
  await expect(queued).toContainText('FPort 7');
  await expect(queued).toContainText('10');
  await expect(queued.getByTestId('event-decoded')).toContainText('"level":16');
  await screenshot(page, 'device-decoded', true);
});

test("a device's own failing decoder: the uplink still shows, with the failure as an event", async ({
  loggedIn: page,
  mote,
}) => {
  const app = await appWithDevice(page, mote);
  await page.goto(`${mote.url}/applications/${app}/devices/probe/formatters`);
  await page.getByTestId('formatter-override').check();
  await page.getByTestId('formatter-type').selectOption('FORMATTER_JAVASCRIPT');
  await page
    .getByTestId('formatter-script')
    .fill('function decodeUplink() { throw new Error("cannot parse"); }');
  await page.getByTestId('formatter-save').click();
  await expect(page.getByTestId('formatter-saved')).toBeVisible();

  await page.goto(`${mote.url}/applications/${app}/devices/probe`);
  await expect(page.getByTestId('connection-badge')).toHaveAttribute('data-status', 'connected');
  await apiCall(page, mote, 'POST', `/api/v3/as/applications/${app}/devices/probe/up/simulate`, {
    uplink_message: { f_port: 3, frm_payload: 'AQID' },
  });
  await expect(page.locator('[data-testid="event-row"][data-type="up"]')).toHaveCount(1);
  const failed = page.locator('[data-testid="event-row"][data-type="up/decode/failed"]');
  await expect(failed).toContainText('Error: cannot parse');
  await expect(failed).toContainText('010203');

  // Back to the application's defaults (none): the override is gone.
  await page.goto(`${mote.url}/applications/${app}/devices/probe/formatters`);
  await page.getByTestId('formatter-override').uncheck();
  await page.getByTestId('formatter-save').click();
  await expect(page.getByTestId('formatter-saved')).toBeVisible();
  const device = await apiCall<Record<string, unknown>>(
    page,
    mote,
    'GET',
    `/api/v3/as/applications/${app}/devices/probe`,
  );
  expect(device.formatters).toBeUndefined();
});

test('a decoder that keeps running to its time limit is suspended, said above the editor, and resumed by saving', async ({
  loggedIn: page,
  mote,
}) => {
  const app = await appWithDevice(page, mote);
  await apiCall(page, mote, 'PUT', `/api/v3/as/applications/${app}/link`, {
    default_formatters: {
      up_formatter: 'FORMATTER_JAVASCRIPT',
      up_formatter_parameter: 'function decodeUplink() { while (true) {} }',
    },
  });
  // Five uplinks in a row run to the 100 ms limit: the script is suspended for this application.
  for (let i = 0; i < 5; i++)
    await apiCall(page, mote, 'POST', `/api/v3/as/applications/${app}/devices/probe/up/simulate`, {
      uplink_message: { f_port: 1, frm_payload: 'CMpb' },
    });
  await page.goto(`${mote.url}/applications/${app}/formatters`);
  await expect(page.getByTestId('formatter-suspended')).toContainText("the application's default formatter");
  await expect(page.getByTestId('formatter-suspended')).toContainText('save the formatters again');
  await screenshot(page, 'formatter-suspended');

  await page.getByTestId('formatter-script').fill(DECODER);
  await page.getByTestId('formatter-save').click();
  await expect(page.getByTestId('formatter-saved')).toBeVisible();
  await expect(page.getByTestId('formatter-suspended')).toHaveCount(0);
});
