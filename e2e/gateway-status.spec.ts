import { ID, UdpGateway } from '../test/helpers/udpGateway';
import { apiCall, expect, screenshot, test } from './fixtures';

// Unconfirmed ups of 260B1234 (LoRaWAN test vectors): no device of this server has that DevAddr.
const FRAME = Buffer.from('4034120B260001000536CCB91C6D25430D0A', 'hex');
const NEXT = Buffer.from('4034120B260001000586B83D220AF83B3346', 'hex');

test('gateway status: an unregistered forwarder registered in one click, then online with live traffic', async ({
  loggedIn: page,
  mote,
}) => {
  const eui = '00800000A00009EF';
  const id = 'eui-00800000a00009ef';
  const gw = await UdpGateway.start(eui, { host: '127.0.0.1', port: mote.udpPort });
  try {
    gw.uplink(FRAME);
    await gw.waitFor((d) => d.id === ID.PUSH_ACK);
    await page.getByTestId('nav-gateways').click();
    await page.waitForURL('**/gateways');

    const stranger = page.getByTestId('unregistered-gateway-row').filter({ hasText: eui });
    await expect(stranger).toBeVisible();
    await expect(stranger).toContainText(`127.0.0.1:${gw.port}`);
    await stranger.getByTestId('register-gateway').click();
    const form = page.getByTestId('add-gateway-form');
    await expect(form.locator('input[name="eui"]')).toHaveValue(eui);
    await expect(form.locator('input[name="id"]')).toHaveValue(id);
    await form.locator('input[name="name"]').fill('Found on the roof');
    await form.getByTestId('add-gateway-submit').click();
    await expect(form).toHaveCount(0);
    const row = page.getByTestId('gateway-row').filter({ hasText: id });
    await expect(row).toContainText(eui);
    // The gateway server looked the EUI up again: no longer a stranger.
    await expect(page.getByTestId('unregistered-gateways')).toHaveCount(0);

    gw.pull();
    await gw.waitFor((d) => d.id === ID.PULL_ACK);
    await expect(row.getByTestId('gateway-connection')).toHaveText('online');
    await row.getByRole('link', { name: id }).click();
    await page.waitForURL(`**/gateways/${id}`);
    const status = page.getByTestId('gateway-status');
    await expect(status.getByTestId('gateway-connection')).toHaveText('online');
    await expect(status.getByTestId('gateway-uplinks')).toContainText('1');

    // Its next packet is accepted and reaches the network layer, which knows no such DevAddr.
    gw.uplink(NEXT, { rssi: -71, lsnr: 6.5 });
    const up = page
      .getByTestId('gateway-traffic')
      .getByTestId('traffic-row')
      .filter({ hasText: 'unknown_dev_addr' });
    await expect(up).toHaveCount(1);
    await expect(up).toContainText('260B1234');
    await expect(up).toContainText('-71 / 6.5');
    await expect(up).toContainText('868.5');
    await expect(up).toContainText('SF7BW125');
    // The uplink dropped while it was unregistered is there too.
    await expect(page.getByTestId('traffic-row').filter({ hasText: 'gateway_not_registered' })).toHaveCount(
      1,
    );
    await expect(status.getByTestId('gateway-uplinks')).toContainText('2');
    await screenshot(page, 'gateway-status', true);
  } finally {
    await gw.close();
    await apiCall(page, mote, 'DELETE', `/api/v3/gateways/${id}`).catch(() => {});
  }
});
