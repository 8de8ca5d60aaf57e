/**
 * The gateway server's cluster-wide state over Redis (server/gs/cluster.ts, docs/scale-out.md):
 *
 * - a frame's merge window: `SET {prefix}up:{hash} <instance> NX PX` claims it; an instance that
 *   finds it claimed RPUSHes its copies to `{prefix}up:{hash}:rx`, which the owner reads and
 *   deletes when its window closes. Claim-or-hand-over is one script, one round trip per frame;
 * - who holds a gateway's PULL_DATA address: `{prefix}gw:{eui}`, a hash of the instance and the
 *   time, refreshed at each PULL_DATA and expiring three keepalives after the last one;
 * - downlinks through a gateway pulling elsewhere: a request on the holder's own channel
 *   `{prefix}gs:{instance}`, which sends the PULL_RESP, reads the TX_ACK and answers on the
 *   asker's channel. The asker settles the downlink, so its events are produced once;
 * - a gateway's console view (connection and traffic) asked of its holder the same way, so the
 *   console on any instance shows the gateway as the instance it pulls on sees it;
 * - the unregistered gateways each instance hears: `{prefix}ugw:{eui}` (its connection as last
 *   shared, expiring a day later) indexed by last-seen time in the sorted set `{prefix}ugw`.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { GatewayCluster, RelayedTx, RelayResult } from '../gs/cluster';
import type { GatewayConnection, GatewayView } from '../gs/ports';
import { decodeRadio, encodeRadio } from '../gs/radioWire';
import type { Logger } from '../log';
import type { RedisLink } from './redis';
import { luaScript } from './script';

/** KEYS claim, copies; ARGV instance, ttl, copy → 1 this instance merges / 0 the copy was handed over. */
const CLAIM = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
if redis.call('GET', KEYS[1]) == ARGV[1] then return 1 end
redis.call('RPUSH', KEYS[2], ARGV[3])
redis.call('PEXPIRE', KEYS[2], ARGV[2])
return 0
`;

/** An unregistered gateway is listed for a day after it was last heard, as on one instance. */
const UNREGISTERED_TTL_MS = 24 * 3600_000;
/** The list shows the newest this many, as the console does. */
const UNREGISTERED_MAX = 200;

type Message =
  | { t: 'tx'; id: string; from: string; tx: RelayedTx }
  | { t: 'ack'; id: string; result: RelayResult }
  | { t: 'view'; id: string; from: string; eui: string; after?: number }
  | { t: 'viewed'; id: string; view: GatewayView };

export async function redisGatewayCluster(link: RedisLink, log: Logger): Promise<GatewayCluster> {
  const me = link.origin.toString('hex');
  const claim = luaScript(link.cmd, CLAIM);
  const upKey = (key: string) =>
    `${link.prefix}up:${createHash('sha256').update(key).digest('hex').slice(0, 32)}`;
  const gwKey = (eui: string) => `${link.prefix}gw:${eui}`;
  const channelOf = (instance: string) => `${link.prefix}gs:${instance}`;
  const mine = channelOf(me);
  const asked = new Map<string, (result: RelayResult) => void>();
  const viewsAsked = new Map<string, (view: GatewayView | undefined) => void>();
  let handler: ((tx: RelayedTx) => Promise<RelayResult>) | undefined;
  let viewer: ((eui: string, afterSeq: number | undefined) => GatewayView) | undefined;

  const publish = (instance: string, message: Message) =>
    link.cmd.publish(channelOf(instance), JSON.stringify(message));

  const answer = async (m: Extract<Message, { t: 'tx' }>) => {
    const result = handler ? await handler(m.tx).catch(() => 'NO_PATH') : 'NO_PATH';
    await publish(m.from, { t: 'ack', id: m.id, result });
  };
  const onMessage = (channel: Buffer, payload: Buffer) => {
    if (channel.toString('latin1') !== mine) return;
    let m: Message;
    try {
      m = JSON.parse(payload.toString('utf8')) as Message;
    } catch {
      return;
    }
    if (m.t === 'ack') asked.get(m.id)?.(m.result);
    else if (m.t === 'viewed') viewsAsked.get(m.id)?.(m.view);
    else if (m.t === 'view') {
      if (viewer)
        publish(m.from, { t: 'viewed', id: m.id, view: viewer(m.eui, m.after) }).catch((err: unknown) =>
          log.debug({ err }, 'gateway view: answer not sent'),
        );
    } else answer(m).catch((err: unknown) => log.warn({ err }, 'relayed downlink: answer not sent'));
  };
  link.sub.on('messageBuffer', onMessage);
  await link.sub.subscribe(mine);

  return {
    windows: {
      async claim(key, radio, ttlMs) {
        const k = upKey(key);
        return (await claim([k, `${k}:rx`], [me, ttlMs, encodeRadio(radio)])) === 1;
      },
      handOver(key, radio, ttlMs) {
        const list = `${upKey(key)}:rx`;
        link.cmd
          .multi()
          .rpush(list, encodeRadio(radio))
          .pexpire(list, ttlMs)
          .exec()
          .catch((err: unknown) => log.warn({ err }, 'uplink copy not handed over'));
      },
      async collect(key) {
        const list = `${upKey(key)}:rx`;
        const replies = await link.cmd.multi().lrange(list, 0, -1).del(list).exec();
        const copies = (replies?.[0]?.[1] ?? []) as string[];
        return copies.map(decodeRadio);
      },
    },
    pulled(eui, ttlMs) {
      const key = gwKey(eui);
      link.cmd
        .multi()
        .hset(key, 'instance', me, 'at', Date.now())
        .pexpire(key, ttlMs)
        .exec()
        .catch((err: unknown) => log.debug({ err, eui }, 'pull address not shared'));
    },
    async pullHolder(eui) {
      const holder = await link.cmd.hget(gwKey(eui), 'instance');
      return holder && holder !== me ? holder : undefined;
    },
    relay(holder, tx, timeoutMs) {
      const id = randomUUID();
      return new Promise<RelayResult>((resolve) => {
        const done = (result: RelayResult) => {
          clearTimeout(timer);
          asked.delete(id);
          resolve(result);
        };
        // The holder died or Redis went away between the question and the answer.
        const timer = setTimeout(() => done('RELAY_TIMEOUT'), timeoutMs);
        asked.set(id, done);
        publish(holder, { t: 'tx', id, from: me, tx }).then(
          (receivers) => {
            if (receivers === 0) done('NO_PATH');
          },
          () => done('NO_PATH'),
        );
      });
    },
    onRelay(h) {
      handler = h;
    },
    view(holder, eui, afterSeq, timeoutMs) {
      const id = randomUUID();
      return new Promise<GatewayView | undefined>((resolve) => {
        const done = (view: GatewayView | undefined) => {
          clearTimeout(timer);
          viewsAsked.delete(id);
          resolve(view);
        };
        const timer = setTimeout(() => done(undefined), timeoutMs);
        viewsAsked.set(id, done);
        publish(holder, {
          t: 'view',
          id,
          from: me,
          eui,
          ...(afterSeq === undefined ? {} : { after: afterSeq }),
        }).then(
          (receivers) => {
            if (receivers === 0) done(undefined);
          },
          () => done(undefined),
        );
      });
    },
    onView(h) {
      viewer = h;
    },
    async shareUnregistered(heard) {
      if (heard.length === 0) return;
      const batch = link.cmd.multi();
      for (const c of heard) {
        batch.set(`${link.prefix}ugw:${c.eui}`, JSON.stringify(c), 'PX', UNREGISTERED_TTL_MS);
        batch.zadd(`${link.prefix}ugw`, Date.parse(c.lastSeenAt), c.eui);
      }
      await batch.exec();
    },
    async unregistered() {
      const index = `${link.prefix}ugw`;
      const euis = await link.cmd.zrevrange(index, 0, UNREGISTERED_MAX - 1);
      if (euis.length === 0) return [];
      const texts = await link.cmd.mget(euis.map((eui) => `${link.prefix}ugw:${eui}`));
      const gone = euis.filter((_, i) => texts[i] === null);
      // Expired entries leave the index as they are found.
      if (gone.length > 0) await link.cmd.zrem(index, ...gone);
      return texts.flatMap((t) => (t === null ? [] : [JSON.parse(t) as GatewayConnection]));
    },
    async close() {
      // No UNSUBSCRIBE: while Redis is away it would wait in the offline queue and hold the
      // shutdown; the link's close ends the subscription with the connection.
      link.sub.off('messageBuffer', onMessage);
      for (const done of [...asked.values()]) done('NO_PATH');
      for (const done of [...viewsAsked.values()]) done(undefined);
    },
  };
}
