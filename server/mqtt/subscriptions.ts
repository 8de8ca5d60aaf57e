/**
 * A session's scoped filters. Matching runs once per bus message per session, so each filter is
 * compiled to the cheapest test that decides it: equality, a prefix for `…/#`, or a level walk.
 */
import { topicMatches } from '../../lib/topics';

export type GrantedQos = 0 | 1;

interface CompiledFilter {
  filter: string;
  qos: GrantedQos;
  test: (topic: string) => boolean;
}

function compile(filter: string, qos: GrantedQos): CompiledFilter {
  if (!filter.includes('+')) {
    if (filter === '#') return { filter, qos, test: () => true };
    if (filter.endsWith('/#')) {
      const prefix = filter.slice(0, -1);
      const parent = filter.slice(0, -2);
      // `a/#` matches `a` itself too [MQTT-4.7.1-2].
      return { filter, qos, test: (topic) => topic.startsWith(prefix) || topic === parent };
    }
    if (!filter.includes('#')) return { filter, qos, test: (topic) => topic === filter };
  }
  return { filter, qos, test: (topic) => topicMatches(filter, topic) };
}

export class Subscriptions {
  private compiled: CompiledFilter[] = [];

  get size(): number {
    return this.compiled.length;
  }

  /** A filter equal to an existing one replaces it [MQTT-3.8.4-3]. */
  set(filter: string, qos: GrantedQos) {
    const entry = compile(filter, qos);
    const i = this.compiled.findIndex((c) => c.filter === filter);
    if (i === -1) this.compiled.push(entry);
    else this.compiled[i] = entry;
  }

  has(filter: string): boolean {
    return this.compiled.some((c) => c.filter === filter);
  }

  delete(filter: string): boolean {
    const i = this.compiled.findIndex((c) => c.filter === filter);
    if (i === -1) return false;
    this.compiled.splice(i, 1);
    return true;
  }

  /**
   * The QoS to deliver `topic` at, or -1 for none. Overlapping filters deliver once at the
   * highest granted QoS (MQTT 3.1.1 §3.3.5 allows this).
   */
  maxQos(topic: string): -1 | GrantedQos {
    let best: -1 | GrantedQos = -1;
    for (const c of this.compiled) {
      if (c.qos > best && c.test(topic)) {
        best = c.qos;
        if (best === 1) break;
      }
    }
    return best;
  }

  filters(): string[] {
    return this.compiled.map((c) => c.filter);
  }
}
