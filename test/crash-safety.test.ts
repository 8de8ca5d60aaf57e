/**
 * Crash safety (issue 7): Mote is killed with SIGKILL while simulated devices send uplinks and
 * take downlinks, and clients push downlinks over HTTP and MQTT QoS 1; then it restarts on the
 * same data dir. Every downlink whose push was acknowledged (HTTP 200, PUBACK) is still queued
 * or was sent, as the queue list and stored history show; the SQLite file passes
 * `integrity_check` and holds no torn row. 20 cycles (CRASH_CYCLES), seeded (CRASH_SEED).
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { IPubackPacket } from 'mqtt-packet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from './helpers/api';
import { type CrashRig, crashCycle, crashRig, unaccounted } from './helpers/crash';
import type { Acked } from './helpers/downlinks';
import { connectPacket, rawClient } from './helpers/mqtt';
import { seededRng, seedFrom } from './helpers/prng';

const CYCLES = Number(process.env.CRASH_CYCLES ?? 20);
const SEED = seedFrom('CRASH_SEED');

let rig: CrashRig;
beforeAll(async () => {
  rig = await crashRig();
});
afterAll(() => rig?.close());

describe('crash safety', () => {
  it(`kill -9 under traffic, ${CYCLES} times: no acknowledged downlink lost, no torn row`, {
    timeout: 600_000,
  }, async () => {
    console.log(`crash safety: seed ${SEED} (replay with CRASH_SEED=${SEED}), ${CYCLES} cycles`);
    const rng = seededRng(SEED);
    const all: Acked[] = [];
    const lost: Acked[] = [];
    const problems: string[] = [];
    let httpAcked = 0;
    let mqttAcked = 0;
    for (let cycle = 0; cycle < CYCLES; cycle++) {
      const r = await crashCycle(rig, rng, cycle);
      all.push(...r.acked);
      lost.push(...r.missing);
      problems.push(...r.problems);
      httpAcked += r.httpAcked;
      mqttAcked += r.mqttAcked;
      console.log(
        `  cycle ${cycle}: acked ${r.httpAcked} HTTP + ${r.mqttAcked} MQTT (${r.sentNow} of them sent by now), lost ${r.missing.length}; store: ${r.store.historyRows} history rows, ${r.store.queueRows} queued, ${r.sentInAll} sent in all, integrity ${r.store.integrity}`,
      );
    }
    // Once more over everything acknowledged in every cycle: still queued or sent since.
    const { missing: finalMissing } = await unaccounted(rig, all);
    console.log(
      `crash safety: ${CYCLES} kills, ${all.length} downlinks acknowledged (${httpAcked} HTTP 200, ${mqttAcked} PUBACK), lost ${lost.length} after restarts, ${finalMissing.length} at the end; problems ${problems.length}`,
    );
    expect(problems).toEqual([]);
    expect(lost.map((a) => a.cid)).toEqual([]);
    expect(finalMissing.map((a) => a.cid)).toEqual([]);
    expect(httpAcked).toBeGreaterThan(0);
    expect(mqttAcked).toBeGreaterThan(0);
  });
});

describe('an acknowledgement means stored', () => {
  it('when the queue write fails: no PUBACK (3.1.1), PUBACK 0x80 (MQTT 5), HTTP 500; nothing lost after', async () => {
    // A second connection to the same file makes every queue insert fail, as a full or failing
    // disk would: a real SQLite error on the server's own write path.
    const db = new Database(join(rig.dataDir, 'mote.sqlite'));
    db.exec(
      "CREATE TRIGGER fail_queue BEFORE INSERT ON downlink_queue BEGIN SELECT RAISE(ABORT, 'disk I/O error (test)'); END",
    );
    const { appId, key } = rig;
    const topic = `v3/${appId}/devices/dev-a/down/push`;
    const body = (cid: string) =>
      JSON.stringify({ downlinks: [{ f_port: 1, frm_payload: 'AQ==', correlation_ids: [cid] }] });
    try {
      const v4 = await rawClient(rig.mote.mqttPort);
      v4.send(connectPacket(appId, key, 'not-stored-v4'));
      await v4.next('connack');
      v4.send({
        cmd: 'publish',
        topic,
        payload: body('not-stored-v4'),
        qos: 1,
        messageId: 1,
        dup: false,
        retain: false,
      });
      await v4.closed;
      expect(v4.packets.map((p) => p.cmd)).toEqual(['connack']);

      const v5 = await rawClient(rig.mote.mqttPort, 5);
      v5.send({ ...connectPacket(appId, key, 'not-stored-v5'), protocolVersion: 5 });
      await v5.next('connack');
      v5.send({
        cmd: 'publish',
        topic,
        payload: body('not-stored-v5'),
        qos: 1,
        messageId: 2,
        dup: false,
        retain: false,
      });
      expect(((await v5.next('puback')) as IPubackPacket).reasonCode).toBe(0x80);
      expect(v5.isClosed()).toBe(false);
      v5.socket.destroy();

      const http = await call(
        rig.mote,
        { key },
        'POST',
        `/api/v3/as/applications/${appId}/devices/dev-a/down/push`,
        {
          downlinks: [{ f_port: 1, frm_payload: 'AQ==', correlation_ids: ['not-stored-http'] }],
        },
      );
      expect(http.status).toBe(500);
    } finally {
      db.exec('DROP TRIGGER fail_queue');
      db.close();
    }
    const again = await rawClient(rig.mote.mqttPort);
    again.send(connectPacket(appId, key, 'stored'));
    await again.next('connack');
    again.send({
      cmd: 'publish',
      topic,
      payload: body('stored'),
      qos: 1,
      messageId: 3,
      dup: false,
      retain: false,
    });
    expect(((await again.next('puback')) as IPubackPacket).messageId).toBe(3);
    again.socket.destroy();
    const { missing } = await unaccounted(rig, [{ cid: 'stored', device: 'dev-a' }]);
    expect(missing).toEqual([]);
  });
});
