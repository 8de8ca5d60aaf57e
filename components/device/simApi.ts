import { api } from '@/lib/apiClient';
import { asDevicePath, enc } from '../apiTypes';

/** The simulator's per-device controls (SPEC §8). */
export interface SimSettings {
  /** Seconds between uplinks. */
  interval: number;
  /** 0…1: share of confirmed downlinks the device fails to acknowledge. */
  ack_loss: number;
}

const simPath = (app: string, dev: string) => `/api/v3/sim/applications/${enc(app)}/devices/${enc(dev)}`;

export const startSimulator = (app: string, dev: string, s: SimSettings) =>
  api(`${simPath(app, dev)}/start`, { method: 'POST', json: s });

export const stopSimulator = (app: string, dev: string) =>
  api(`${simPath(app, dev)}/stop`, { method: 'POST', json: {} });

export const simulateUplink = (app: string, dev: string, fPort: number, frmPayload: string) =>
  api(`${asDevicePath(app, dev)}/up/simulate`, {
    method: 'POST',
    json: { uplink_message: { f_port: fPort, frm_payload: frmPayload } },
  });
