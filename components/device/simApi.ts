import { api } from '@/lib/apiClient';
import { asDevicePath, enc } from '../apiTypes';

/** The simulator's per-device controls (docs/behaviour.md §8). */
export interface SimSettings {
  /** Milliseconds between uplinks. */
  interval: number;
  /** 0…1: share of confirmed downlinks the device fails to acknowledge. */
  ack_loss: number;
}

export interface SimStatus {
  running: boolean;
  interval_ms: number;
  ack_loss: number;
  joined?: boolean;
  dev_addr?: string;
  f_cnt?: number;
  next_at?: string;
}

/** The form's text as the API's settings; says in the form's own units what is wrong. */
export function simSettings(intervalSeconds: string, lossPercent: string): SimSettings {
  const seconds = Number(intervalSeconds.trim().replace(',', '.'));
  if (intervalSeconds.trim() === '' || !(seconds >= 0.1 && seconds <= 86_400))
    throw new Error('Uplink interval must be a number of seconds from 0.1 to 86400.');
  const percent = Number(lossPercent.trim().replace(',', '.'));
  if (lossPercent.trim() === '' || !(percent >= 0 && percent <= 100))
    throw new Error('Ack loss must be a percentage from 0 to 100.');
  return { interval: Math.round(seconds * 1000), ack_loss: percent / 100 };
}

const simPath = (app: string, dev: string) => `/api/v3/sim/applications/${enc(app)}/devices/${enc(dev)}`;

export const simStatus = (app: string, dev: string) => api<SimStatus>(simPath(app, dev));

export const startSimulator = (app: string, dev: string, s: SimSettings) =>
  api<SimStatus>(`${simPath(app, dev)}/start`, { method: 'POST', json: s });

export const stopSimulator = (app: string, dev: string) =>
  api<SimStatus>(`${simPath(app, dev)}/stop`, { method: 'POST', json: {} });

export const simulateUplink = (app: string, dev: string, fPort: number, frmPayload: string) =>
  api(`${asDevicePath(app, dev)}/up/simulate`, {
    method: 'POST',
    json: { uplink_message: { f_port: fPort, frm_payload: frmPayload } },
  });
