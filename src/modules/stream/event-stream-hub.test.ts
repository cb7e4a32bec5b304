import { describe, expect, it } from 'vitest';
import type { CanonicalEvent } from '../events/event.ts';
import { EventStreamHub } from './event-stream-hub.ts';
import type { StreamSink } from './event-stream.ts';
import type { EventTail, TailItem } from './event-tail.ts';

const event = (id: string): CanonicalEvent =>
  ({ event_id: id, session_id: 's', event_type: 'x', source: 'test' }) as unknown as CanonicalEvent;

/** A store and a tail over it that only sees what was committed when it polls. */
function lagging() {
  const store: TailItem[] = [];
  let seen = 0;
  const tail: EventTail = {
    async start() {
      seen = store.length;
    },
    async poll() {
      const items = store.slice(seen);
      seen = store.length;
      return { items, more: false };
    },
    get safe() {
      return seen;
    },
    get top() {
      return seen;
    },
    settled: true,
    async replay() {
      return [];
    },
  };
  return { tail, commit: (id: string) => store.push({ id: store.length + 1, event: event(id) }) };
}

function sink(): StreamSink & { ids: string[] } {
  const ids: string[] = [];
  return {
    ids,
    event: (_cursor, e) => (ids.push(e.event_id), true),
    ping: () => true,
    ready: async () => {},
    end: () => {},
    onGone: () => {},
  };
}

describe('event stream hub', () => {
  it('treats what committed before a stream opened as history, even when the shared tail lags behind the store', async () => {
    const { tail, commit } = lagging();
    // A long poll interval: nothing but the stream's own opening makes the tail read.
    const hub = new EventStreamHub(() => tail, { pollMs: 60_000, heartbeatMs: 60_000, bufferBytes: 1 << 20 });
    const first = sink();
    await hub.open({ filter: {}, after: null, sink: first });
    commit('b-1');
    commit('b-2');
    commit('b-3');
    const second = sink();
    await hub.open({ filter: {}, after: null, sink: second, backlog: async () => [event('b-2'), event('b-3')] });
    commit('b-live');
    hub.notify();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(second.ids).toEqual(['b-2', 'b-3', 'b-live']);
    // The first stream was open all along: it gets all four, once each.
    expect(first.ids).toEqual(['b-1', 'b-2', 'b-3', 'b-live']);
    await hub.close();
  });
});
