import { expect, it } from 'vitest';
import { manualClock } from '../../test/helpers/fixture';
import { OtaaDevice, radio } from '../../test/helpers/otaaDevice';
import { systemIds } from '../as/correlation';
import { silentLogger } from '../log';
import { createNetworkServer } from './server';

it('a failing port loses the frame, never the network server', async () => {
  const clock = manualClock();
  const failing = () => Promise.reject(new Error('store down'));
  const drops: string[] = [];
  const ns = createNetworkServer({
    registry: {
      findForJoin: failing,
      findByDevAddr: failing,
      useDevNonce: failing,
      saveSession: failing,
      saveFCntUp: failing,
      saveFCntDown: failing,
    },
    as: { handleJoin: failing, handleUplink: failing, receiveWindow: failing, settleWindow: failing },
    clock,
    ids: systemIds,
    log: silentLogger,
    onDrop: (_ids, name) => drops.push(name),
  });
  const device = new OtaaDevice('00'.repeat(16));
  await expect(ns.handleUplink(device.joinRequest(), radio(clock.now()))).resolves.toBeUndefined();
  expect(drops).toEqual(['uplink_failed']);
  expect(ns.stats()).toMatchObject({ received: 1, dropped: 1, drops: { uplink_failed: 1 } });
});

it('refuses to start with a malformed NetID', () => {
  const stub = () => Promise.reject(new Error('unused'));
  const deps = {
    registry: {
      findForJoin: stub,
      findByDevAddr: stub,
      useDevNonce: stub,
      saveSession: stub,
      saveFCntUp: stub,
      saveFCntDown: stub,
    },
    as: { handleJoin: stub, handleUplink: stub, receiveWindow: stub, settleWindow: stub },
    clock: manualClock(),
    ids: systemIds,
    log: silentLogger,
  };
  expect(() => createNetworkServer({ ...deps, netId: 'XYZ' })).toThrow(/NetID/);
});
