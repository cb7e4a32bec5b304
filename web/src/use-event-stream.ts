// The live tail (GET /events/stream, Server-Sent Events) as a growing buffer of events.
// EventSource reconnects by itself and sends Last-Event-ID, so a dropped connection
// resumes without a gap; pausing closes the stream and resuming reopens it after the last
// event received, so nothing stored meanwhile is lost either.
import { useEffect, useRef, useState } from 'preact/hooks';
import { query } from './api.ts';
import type { ApiEvent } from './api-types.ts';

export type StoredEvent = ApiEvent;

export interface StreamFilters {
  source?: string;
  event_type?: string;
  session_id?: string;
}

export type StreamStatus = 'connecting' | 'live' | 'reconnecting' | 'paused' | 'failed';

/** Kept in memory for the list; the store keeps everything, GET /events pages through it. */
export const MAX_EVENTS = 5000;
/** Recent events sent first when the page opens, so it is not empty until the next hook. */
const BACKLOG = 200;

export interface EventStream {
  /** Newest last. */
  events: StoredEvent[];
  status: StreamStatus;
  /** Events received since the page opened (dropped-from-memory ones included). */
  received: number;
  paused: boolean;
  setPaused(paused: boolean): void;
}

export function useEventStream(filters: StreamFilters): EventStream {
  const buffer = useRef<StoredEvent[]>([]);
  // A resumed stream may send an event again (the API says so): its id tells.
  const seen = useRef(new Set<string>());
  const lastId = useRef<string | null>(null);
  const received = useRef(0);
  const [, setVersion] = useState(0);
  const [status, setStatus] = useState<StreamStatus>('connecting');
  const [paused, setPaused] = useState(false);
  const key = `${filters.source ?? ''}|${filters.event_type ?? ''}|${filters.session_id ?? ''}`;

  // New filters: a new list, starting from the recent backlog.
  useEffect(() => {
    buffer.current = [];
    seen.current = new Set();
    lastId.current = null;
    received.current = 0;
    setVersion((v) => v + 1);
  }, [key]);

  useEffect(() => {
    if (paused) {
      setStatus('paused');
      return;
    }
    const resume = lastId.current;
    const source = new EventSource(
      `/events/stream${query({ ...filters, ...(resume ? { last_event_id: resume } : { backlog: BACKLOG }) })}`,
    );
    setStatus('connecting');
    // At hundreds of events a second, draw at most once a frame.
    let frame = 0;
    const draw = () => {
      frame = 0;
      setVersion((v) => v + 1);
    };
    source.onopen = () => setStatus('live');
    source.onerror = () => setStatus(source.readyState === EventSource.CLOSED ? 'failed' : 'reconnecting');
    source.onmessage = (message) => {
      const event = JSON.parse(message.data) as StoredEvent;
      lastId.current = message.lastEventId || lastId.current;
      const id = `${event.session_id}\u0000${event.event_id}`;
      if (seen.current.has(id)) return;
      seen.current.add(id);
      received.current++;
      const events = buffer.current;
      events.push(event);
      if (events.length > MAX_EVENTS * 1.2) {
        buffer.current = events.slice(-MAX_EVENTS);
        seen.current = new Set(buffer.current.map((e) => `${e.session_id}\u0000${e.event_id}`));
      }
      frame ||= requestAnimationFrame(draw);
    };
    return () => {
      source.close();
      if (frame) cancelAnimationFrame(frame);
    };
    // `key` stands for the filters.
  }, [key, paused]);

  const events = buffer.current.length > MAX_EVENTS ? buffer.current.slice(-MAX_EVENTS) : buffer.current;
  return { events, status, received: received.current, paused, setPaused };
}
