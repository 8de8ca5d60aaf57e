/**
 * A session's scoped filters, up to `maxSubscriptions` (10 000 by default) each. Matching runs once
 * per bus message per session, so filters are indexed by the cheapest test that decides them: a
 * filter without wildcards by the topic itself, a `…/#` without `+` by its parent (a topic's
 * ancestors are looked up, one per level), and only filters with `+` are walked one by one.
 */
import { topicMatches } from '../../lib/topics';

export type GrantedQos = 0 | 1;

type Kind = 'exact' | 'prefix' | 'walk';

function kind(filter: string): Kind {
  if (filter.includes('+')) return 'walk';
  if (filter === '#' || filter.endsWith('/#')) return 'prefix';
  return 'exact';
}

/** Up to this many `…/#` filters are tested one by one; more are looked up by each ancestor. */
const FEW = 8;

/** Whether `a/#` with parent `a` matches `topic`: `a` itself or anything under `a/`. */
function underParent(topic: string, parent: string): boolean {
  if (parent === '') return true;
  if (!topic.startsWith(parent)) return false;
  return topic.length === parent.length || topic.charCodeAt(parent.length) === 0x2f;
}

/** The parent a `…/#` filter stands for: `a/b/#` → `a/b`, `#` → `` (every topic). */
const parentOf = (filter: string) => (filter === '#' ? '' : filter.slice(0, -2));

/**
 * Stands in for each map until its first filter: a Map costs ~200 bytes even empty, and most
 * sessions hold one filter or none (an idle connection's memory is the product's, issue 18).
 * Only ever read; `own()` swaps in a real Map before a write.
 */
const NONE: Map<string, GrantedQos> = new Map();
const own = (map: Map<string, GrantedQos>) => (map === NONE ? new Map<string, GrantedQos>() : map);

export class Subscriptions {
  /** Every filter and its QoS [MQTT-3.8.4-3]: an equal filter replaces the old one. */
  private all = NONE;
  private exact = NONE;
  /** `…/#` filters by parent; `#` is the parent ``. */
  private prefix = NONE;
  private walk = NONE;
  /**
   * The highest QoS any filter grants: once a topic matches at it, nothing can raise it, so a
   * session on `#` at QoS 0 (the common subscriber) is decided by one lookup.
   */
  private highest: -1 | GrantedQos = -1;
  /** The `…/#` filters as a list while they are few: iterating a Map allocates an entry each. */
  private fewPrefixes: readonly { parent: string; qos: GrantedQos }[] = [];

  get size(): number {
    return this.all.size;
  }

  set(filter: string, qos: GrantedQos) {
    this.all = own(this.all).set(filter, qos);
    this.highest = Math.max(this.highest, qos) as GrantedQos;
    const k = kind(filter);
    if (k === 'exact') this.exact = own(this.exact).set(filter, qos);
    else if (k === 'prefix') {
      this.prefix = own(this.prefix).set(parentOf(filter), qos);
      this.listPrefixes();
    } else this.walk = own(this.walk).set(filter, qos);
  }

  private listPrefixes() {
    this.fewPrefixes =
      this.prefix.size <= FEW ? [...this.prefix].map(([parent, qos]) => ({ parent, qos })) : [];
  }

  has(filter: string): boolean {
    return this.all.has(filter);
  }

  delete(filter: string): boolean {
    if (!this.all.delete(filter)) return false;
    this.highest = -1;
    for (const q of this.all.values()) if (q > this.highest) this.highest = q;
    const k = kind(filter);
    if (k === 'exact') this.exact.delete(filter);
    else if (k === 'prefix') {
      this.prefix.delete(parentOf(filter));
      this.listPrefixes();
    } else this.walk.delete(filter);
    return true;
  }

  /**
   * The QoS to deliver `topic` at, or -1 for none. Overlapping filters deliver once at the
   * highest granted QoS (MQTT 3.1.1 §3.3.5 allows this).
   */
  maxQos(topic: string): -1 | GrantedQos {
    const highest = this.highest;
    let best: -1 | GrantedQos = this.exact.get(topic) ?? -1;
    if (best === highest) return best;
    if (this.prefix.size > 0 && this.prefix.size <= FEW) {
      // A few `…/#` filters (a scoped `#` is one): test each in place, without slicing the topic.
      for (const p of this.fewPrefixes) {
        if (p.qos > best && underParent(topic, p.parent)) best = p.qos;
      }
      if (best === highest) return best;
    } else if (this.prefix.size > 0) {
      // `a/#` matches `a` itself and everything under it [MQTT-4.7.1-2]; `#` matches all.
      best = Math.max(best, this.prefix.get('') ?? -1, this.prefix.get(topic) ?? -1) as -1 | GrantedQos;
      for (let i = topic.indexOf('/'); i !== -1 && best < highest; i = topic.indexOf('/', i + 1)) {
        best = Math.max(best, this.prefix.get(topic.slice(0, i)) ?? -1) as -1 | GrantedQos;
      }
      if (best === highest) return best;
    }
    for (const [filter, qos] of this.walk) {
      if (qos > best && topicMatches(filter, topic)) {
        best = qos;
        if (best === highest) break;
      }
    }
    return best;
  }

  filters(): string[] {
    return [...this.all.keys()];
  }
}
