import { randomBytes } from 'node:crypto';
import type { Page } from '@playwright/test';
import { apiCall, type Mote, uniqueId } from './fixtures';

const randomEui = () => randomBytes(8).toString('hex').toUpperCase();

/**
 * One application with a device that has traffic, an API key and a gateway: every page has
 * content. Callable more than once per server: gateway EUIs, and DevEUIs under one JoinEUI, are
 * unique server-wide.
 */
export async function seedConsole(page: Page, mote: Mote) {
  const app = uniqueId('walk');
  const dev = 'sensor-a';
  const gtw = uniqueId('gw');
  await apiCall(page, mote, 'POST', '/api/v3/applications', {
    application: { ids: { application_id: app }, name: 'Greenhouse' },
  });
  await apiCall(page, mote, 'POST', `/api/v3/applications/${app}/devices`, {
    end_device: {
      ids: { device_id: dev, dev_eui: randomEui(), join_eui: '0000000000000000' },
      name: 'Greenhouse sensor',
    },
  });
  for (const hex of ['0102', '0a0b0c'])
    await apiCall(page, mote, 'POST', `/api/v3/as/applications/${app}/devices/${dev}/up/simulate`, {
      uplink_message: { f_port: 2, frm_payload: Buffer.from(hex, 'hex').toString('base64') },
    });
  await apiCall(page, mote, 'POST', `/api/v3/applications/${app}/api-keys`, {
    name: 'walk key',
    rights: ['RIGHT_APPLICATION_TRAFFIC_READ'],
  });
  await apiCall(page, mote, 'POST', '/api/v3/gateways', {
    gateway: {
      ids: { gateway_id: gtw, eui: randomEui() },
      frequency_plan_id: 'EU_863_870',
    },
  });
  return { app, dev, gtw };
}

/** Every console page, by a name for messages and its path. */
export function consolePages({ app, dev, gtw }: { app: string; dev: string; gtw: string }) {
  const a = `/applications/${app}`;
  const d = `${a}/devices/${dev}`;
  return [
    { name: 'applications', path: '/', title: 'Applications · Mote' },
    { name: 'application overview', path: a, title: `${app} · Mote` },
    { name: 'end devices', path: `${a}/devices`, title: `End devices · ${app} · Mote` },
    { name: 'live data', path: `${a}/live`, title: `Live data · ${app} · Mote` },
    { name: 'payload formatters', path: `${a}/formatters`, title: `Payload formatters · ${app} · Mote` },
    { name: 'API keys', path: `${a}/api-keys`, title: `API keys · ${app} · Mote` },
    { name: 'device', path: d, title: `${dev} · ${app} · Mote` },
    { name: 'device settings', path: `${d}/settings`, title: `Settings · ${dev} · ${app} · Mote` },
    {
      name: 'device formatters',
      path: `${d}/formatters`,
      title: `Payload formatters · ${dev} · ${app} · Mote`,
    },
    { name: 'gateways', path: '/gateways', title: 'Gateways · Mote' },
    { name: 'gateway', path: `/gateways/${gtw}`, title: `${gtw} · Gateways · Mote` },
    { name: 'not found', path: `${a}/devices/nope`, title: 'Not found · Mote' },
  ];
}
