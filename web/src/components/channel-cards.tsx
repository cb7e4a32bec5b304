// The channels notifications go to, as cards: Send test, Pause and Resume for admins.
import { EmptyState } from './empty-state.tsx';
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.ts';
import type { Channel, ChannelPage, ChannelTest } from '../api-types.ts';
import { Failure, Loading } from './loading.tsx';
import { TimeText } from './time-text.tsx';
import { canAdmin, useAuthSession } from '../session.ts';
import { countText, durationText } from '../time.ts';

import { Fact, OutcomeText, PAGE_PATH, useAction } from './notification-parts.tsx';

export function Channels({ state }: { state: { data: ChannelPage | null; error: Error | null; loading: boolean; reload(): void } }) {
  // A pause or resume answers with the channel as it is now: shown at once, before the list is asked again.
  const [changed, setChanged] = useState<Record<string, Channel>>({});
  useEffect(() => setChanged({}), [state.data]);
  if (state.error) return <Failure error={state.error} retry={state.reload} />;
  if (!state.data) return <Loading label="Loading channels" />;
  if (state.data.items.length === 0) return <NoChannels />;
  return (
    <ul class="channels" aria-label="Channels">
      {state.data.items.map((c) => (
        <ChannelCard
          key={c.channel_id}
          channel={changed[c.channel_id] ?? c}
          onChange={(now) => {
            setChanged((old) => ({ ...old, [now.channel_id]: now }));
            state.reload();
          }}
        />
      ))}
    </ul>
  );
}

function ChannelCard({ channel: c, onChange }: { channel: Channel; onChange: (c: Channel) => void }) {
  const session = useAuthSession();
  // A team's token changes its team's channels; the installation's are an unbound token's.
  const writable = canAdmin(session) && (session.team_id === null || c.team_id !== null);
  const test = useAction();
  const [result, setResult] = useState<ChannelTest | null>(null);
  const change = useAction();
  const [pausing, setPausing] = useState(false);
  const [reason, setReason] = useState('');
  const path = `/channels/${encodeURIComponent(c.channel_id)}`;
  const titleId = `channel-${c.channel_id}`;

  const sendTest = () => {
    setResult(null);
    change.clear();
    void test.run(
      () => api<ChannelTest>(`${path}/test`, { method: 'POST', body: {} }),
      (answer) => {
        setResult(answer);
        return null;
      },
    );
  };
  const setPaused = (pause: boolean) =>
    change.run(
      () =>
        api<Channel>(`${path}/${pause ? 'pause' : 'resume'}`, {
          method: 'POST',
          body: pause && reason.trim() ? { reason: reason.trim() } : {},
        }),
      (now) => {
        setPausing(false);
        setReason('');
        onChange(now);
        return pause ? 'Paused: its notifications wait until it is resumed.' : 'Resumed: its notifications are delivered again.';
      },
    );

  return (
    <li class={`channel-card${c.paused ? ' paused' : ''}`} aria-labelledby={titleId}>
      <div class="channel-head">
        <h2 id={titleId}>{c.channel_id}</h2>
        <span class="chip">{c.kind}</span>
        <span class={`chip tone-${c.paused ? 'notice' : 'ok'}`}>{c.paused ? 'paused' : 'active'}</span>
      </div>
      {c.name && <p class="muted channel-name">{c.name}</p>}
      {c.paused && (
        <p class="paused-note">
          <strong>Paused</strong> {c.paused_at && <TimeText at={c.paused_at} />}: {c.paused_reason ?? 'no reason given'}
        </p>
      )}
      <dl class="facts channel-facts">
        <Fact term="Team" value={c.team_id ?? 'installation'} />
        <Fact term="Failure streak" value={<span class={c.failure_streak ? 'warn' : ''}>{countText(c.failure_streak)}</span>} />
        <Fact term="URL" value={<code>{c.url}</code>} wide />
        {c.kind === 'webhook' && <Fact term="Signed" value={c.has_secret ? 'yes, whsec_***' : 'no secret'} />}
        {c.kind === 'email' && <Fact term="SMTP login" value={c.has_secret ? 'password kept sealed' : 'none'} />}
        {c.kind === 'ntfy' && <Fact term="Access token" value={c.has_secret ? 'tk_***' : 'none (public topic)'} />}
        <Fact term="Added" value={<TimeText at={c.created_at} />} />
      </dl>
      <div class="actions">
        {writable && (
          <>
            <button type="button" onClick={sendTest} disabled={test.busy} aria-describedby={titleId}>
              {test.busy ? 'Sending…' : 'Send test'}
            </button>
            {c.paused ? (
              <button type="button" class="quiet" onClick={() => setPaused(false)} disabled={change.busy} aria-describedby={titleId}>
                Resume
              </button>
            ) : (
              !pausing && (
                <button type="button" class="quiet" onClick={() => (change.clear(), setPausing(true))} aria-describedby={titleId}>
                  Pause
                </button>
              )
            )}
          </>
        )}
        <a href={`${PAGE_PATH}?channel=${encodeURIComponent(c.channel_id)}`} aria-describedby={titleId}>
          Its notifications
        </a>
      </div>
      {pausing && (
        <form
          class="pause-form"
          onSubmit={(e) => {
            e.preventDefault();
            void setPaused(true);
          }}
        >
          <label class="filter">
            <span>Reason (shown with the channel)</span>
            <input type="text" value={reason} maxLength={500} onInput={(e) => setReason((e.target as HTMLInputElement).value)} />
          </label>
          <button type="submit" disabled={change.busy}>
            Pause {c.channel_id}
          </button>
          <button type="button" class="quiet" onClick={() => setPausing(false)}>
            Cancel
          </button>
        </form>
      )}
      <OutcomeText outcome={change.outcome} />
      <OutcomeText outcome={test.outcome} />
      {result && <TestResult result={result} />}
    </li>
  );
}

function TestResult({ result }: { result: ChannelTest }) {
  const figures = [result.status_code === null ? 'no answer' : `status ${result.status_code}`, durationText(result.latency_ms)].join(', ');
  return (
    <div class="test-result" role="status">
      <p class={`outcome ${result.delivered ? 'ok' : 'bad'}`}>
        {result.delivered ? 'Delivered' : 'Not delivered'} ({figures}){result.delivered ? '.' : `: ${result.reason}`}
      </p>
      <p class="muted answer-label">The receiver answered:</p>
      <pre class="wrap">{result.response_excerpt || '(nothing)'}</pre>
    </div>
  );
}

export function NoChannels() {
  return (
    <EmptyState title="No channels yet">
      <p>A notification needs somewhere to go. Add a channel (Slack, Discord, email, ntfy or any HTTP endpoint) with:</p>
      <pre>
        <code>hookd channels add ops --kind slack --url https://hooks.slack.com/...</code>
      </pre>
      <p>
        Then name it in a team rule. How channels, messages and retries work: <code>docs/notifications.md</code>.
      </p>
    </EmptyState>
  );
}
