import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { OutboxFigures } from '../notifications/notification.ts';
import type { DeliveryObserver } from '../notifications/notification-worker.ts';

/**
 * The outbox in Prometheus: attempts by channel type and outcome, the latency from an
 * event being stored to its receiver's answer, and the queue (waiting, dead, the age of
 * the oldest waiting), read once per scrape. Null figures (the database down) leave the
 * gauges as they were: /metrics keeps answering.
 */
export function notificationMetrics(registry: Registry, figures: () => Promise<OutboxFigures | null>): DeliveryObserver {
  const registers = [registry];
  const attempts = new Counter({
    name: 'hookd_notification_attempts_total',
    help: 'Delivery attempts by channel type and outcome (sent, retry, permanent)',
    labelNames: ['channel_type', 'outcome'],
    registers,
  });
  const latency = new Histogram({
    name: 'hookd_notification_delivery_seconds',
    help: 'From the event being stored to the receiver answering a delivered notification',
    labelNames: ['channel_type'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800, 3600],
    registers,
  });
  let read: Promise<OutboxFigures | null> | null = null;
  // The three gauges of one scrape share one read.
  const current = () => {
    read ??= figures()
      .catch(() => null)
      .finally(() => setTimeout(() => (read = null), 0));
    return read;
  };
  const gauge = (name: string, help: string, pick: (f: OutboxFigures) => number) =>
    new Gauge({
      name,
      help,
      registers,
      async collect() {
        const f = await current();
        if (f) this.set(pick(f));
      },
    });
  gauge('hookd_outbox_pending', 'Notifications waiting to be sent or being sent', (f) => f.pending + f.failed);
  gauge('hookd_outbox_held', 'Notifications held for a digest or until quiet hours end', (f) => f.held);
  gauge('hookd_outbox_dead', 'Notifications given up on (kept until the retention)', (f) => f.dead);
  gauge('hookd_outbox_oldest_pending_seconds', 'Age of the oldest notification not yet delivered', (f) => f.oldestPendingMs / 1000);
  return {
    attempted(kind, outcome) {
      attempts.inc({ channel_type: kind, outcome });
    },
    delivered(kind, sinceEventMs) {
      latency.observe({ channel_type: kind }, sinceEventMs / 1000);
    },
  };
}
