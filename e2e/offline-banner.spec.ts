import { rmSync } from 'node:fs';
import { test as base, expect, type Request } from '@playwright/test';
import { apiCall, login, startMote } from './fixtures';

/**
 * Issue 16: when Mote stops, the console says so in one banner, and the cards stop pretending.
 * Each test its own Mote, really stopped (the shared one serves the other specs).
 */
base('an offline banner appears when Mote cannot be reached', async ({ page }) => {
  const { mote, child, dataDir } = await startMote();
  try {
    await login(page, mote, '/gateways');
    await expect(page.getByRole('heading', { level: 1 })).toHaveCount(1);
    await expect(page.getByTestId('offline-banner')).toHaveCount(0);
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
    await expect(page.getByTestId('offline-banner')).toBeVisible();
    await expect(page.getByTestId('offline-banner')).toContainText('Mote cannot be reached');
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
});

base(
  'offline, the device page shows no "Failed to fetch", no "Queue is empty" and no ticking "last seen"',
  async ({ page }) => {
    const { mote, child, dataDir } = await startMote();
    try {
      await login(page, mote);
      await apiCall(page, mote, 'POST', '/api/v3/applications', {
        application: { ids: { application_id: 'plant' } },
      });
      await apiCall(page, mote, 'POST', '/api/v3/applications/plant/devices', {
        end_device: { ids: { device_id: 'pump', dev_eui: '70B3D57ED0FF0001', join_eui: '0000000000000000' } },
      });
      await apiCall(page, mote, 'POST', '/api/v3/as/applications/plant/devices/pump/up/simulate', {
        uplink_message: { f_port: 1, frm_payload: 'AQ==' },
      });
      await page.goto(`${mote.url}/applications/plant/devices/pump`);
      await expect(page.getByTestId('queue-empty')).toHaveText('Queue is empty.');
      await expect(page.getByTestId('last-seen')).toHaveText(/just now|s ago/);

      // The queue is polled every 5 s and retried once: the third failed read of it comes after
      // the first poll has settled as failed, so whatever that failure renders is on the page.
      const queueReads: Request[] = [];
      page.on('requestfailed', (r) => {
        if (new URL(r.url()).pathname === '/api/v3/as/applications/plant/devices/pump/down')
          queueReads.push(r);
      });
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      await expect(page.getByTestId('offline-banner')).toBeVisible();
      await expect.poll(() => queueReads.length, { timeout: 60_000 }).toBeGreaterThanOrEqual(3);

      await expect(page.getByTestId('offline-banner')).toHaveCount(1);
      await expect(page.locator('body')).not.toContainText('Failed to fetch');
      await expect(page.getByTestId('form-error')).toHaveCount(0);
      await expect(page.getByTestId('queue-empty')).toHaveText('Not known while Mote cannot be reached.');
      // The time it was last seen, no longer an age that grows.
      const lastSeen = page.getByTestId('last-seen');
      await expect(lastSeen).not.toHaveText(/ago|just now/);
      await expect(lastSeen.locator('time')).toHaveAttribute('data-frozen', '');
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
);
