import type { Metadata } from 'next';
import { getApplication, getDevice } from './server';

/**
 * Each page's <title>, most specific first (the root layout appends "· Mote"), so browser tabs
 * and history tell apart pages of different applications and devices. The entity is read, not
 * just the address: a missing one is a 404 (titled "Not found") rather than a page named after it.
 */
type AppParams = { params: Promise<{ app: string }> };
type DeviceParams = { params: Promise<{ app: string; dev: string }> };

export const appTitle =
  (section?: string) =>
  async ({ params }: AppParams): Promise<Metadata> => {
    const app = (await getApplication((await params).app)).ids.application_id;
    return { title: section ? `${section} · ${app}` : app };
  };

export const deviceTitle =
  (section?: string) =>
  async ({ params }: DeviceParams): Promise<Metadata> => {
    const { app, dev } = await params;
    const ids = (await getDevice(app, dev)).ids;
    const base = `${ids.device_id} · ${ids.application_ids?.application_id ?? app}`;
    return { title: section ? `${section} · ${base}` : base };
  };
