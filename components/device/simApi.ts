import { api } from '@/lib/apiClient';
import { asDevicePath, enc } from '../apiTypes';

/** The simulator's per-device controls (SPEC §8). */
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
