// bench:notify's baseline, forked as its own process as hookd is: what a bare HTTP client
// gets out of the same 20 ms receiver at the notification worker's batch size. Each request
// is what a webhook delivery puts on the wire (a body of the same size, Standard Webhooks
// headers signed with HMAC-SHA256, a fresh connection as hookd's safePost opens one), with
// no outbox behind it: no claim, no settlement, no database.
// argv: receiver URL, requests, concurrency. Sends back { seconds, answered, failed }.
import { createHmac, randomBytes } from 'node:crypto';
import http from 'node:http';

export interface BaselineResult {
  seconds: number;
  answered: number;
  failed: number;
}

const [url, requestsArg, concurrencyArg] = process.argv.slice(2);
const requests = Number(requestsArg);
const concurrency = Number(concurrencyArg);
const target = new URL(url!);
const key = randomBytes(32);
// About the size of a rule notification's webhook body (webhook-payload.ts).
const body = JSON.stringify({
  type: 'notification.rule',
  timestamp: new Date().toISOString(),
  data: {
    notification_id: `ntf_${'0'.repeat(32)}`,
    kind: 'rule',
    priority: 'normal',
    title: 'Every channel',
    text: 'Rule all matched notify_all (Bash)',
    fields: [{ name: 'Tool', value: 'Bash' }],
    url: null,
    session_id: 'baseline-session-00',
    event_id: 'baseline-event-0000000',
    event_type: 'notify_all',
    team_id: 'bench',
    rule_id: 'all',
    project: null,
  },
});

function post(id: string): Promise<boolean> {
  const sentAt = Math.floor(Date.now() / 1000);
  const signature = createHmac('sha256', key).update(`${id}.${sentAt}.${body}`).digest('base64');
  return new Promise((resolve) => {
    const req = http.request(target, {
      method: 'POST',
      agent: false,
      headers: {
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(body)),
        'webhook-id': id,
        'webhook-timestamp': String(sentAt),
        'webhook-signature': `v1,${signature}`,
      },
    });
    req.on('error', () => resolve(false));
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 200));
      res.on('error', () => resolve(false));
    });
    req.end(body);
  });
}

async function run(total: number, prefix: string): Promise<BaselineResult> {
  let next = 0;
  let answered = 0;
  let failed = 0;
  const started = performance.now();
  const lane = async () => {
    while (next < total) {
      const id = `${prefix}-${next++}`;
      if (await post(id)) answered++;
      else failed++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return { seconds: (performance.now() - started) / 1000, answered, failed };
}

// Warm-up (JIT, sockets), not counted; the receiver is told to forget it before the run.
await run(Math.min(1000, requests), `warm-${randomBytes(3).toString('hex')}`);
process.send!({ warm: true });
await new Promise<void>((resolve) => process.once('message', () => resolve()));
process.send!(await run(requests, `base-${randomBytes(3).toString('hex')}`));
process.disconnect();
