import type { Metadata } from 'next';

/**
 * Each page's <title>, most specific first (the root layout appends "· Mote"), so browser tabs
 * and history tell apart pages of different applications and devices.
 */
type AppParams = { params: Promise<{ app: string }> };
type DeviceParams = { params: Promise<{ app: string; dev: string }> };

export const appTitle =
  (section?: string) =>
  async ({ params }: AppParams): Promise<Metadata> => {
    const { app } = await params;
    return { title: section ? `${section} · ${decodeURIComponent(app)}` : decodeURIComponent(app) };
  };

export const deviceTitle =
  (section?: string) =>
  async ({ params }: DeviceParams): Promise<Metadata> => {
    const { app, dev } = await params;
    const base = `${decodeURIComponent(dev)} · ${decodeURIComponent(app)}`;
    return { title: section ? `${section} · ${base}` : base };
  };
