import { rmSync } from 'node:fs';
import { test as base, expect } from '@playwright/test';
import { login, startMote } from './fixtures';

/**
 * Issue 16: when Mote stops, the console says so in one banner. Its own Mote, really stopped
 * (the shared one serves the other specs).
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
