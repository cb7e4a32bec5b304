import type { ComponentChildren } from 'preact';

/** No data yet: what to run so there is some. */
export function EmptyState({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <section class="empty" aria-label={title}>
      <h2>{title}</h2>
      {children ?? (
        <>
          <p>Record every hook of your coding agent by installing hookd's hooks:</p>
          <pre>
            <code>hookd install claude-code</code>
          </pre>
          <p>
            Then use the agent as usual: its events show up here within a second. Other agents post their hook payloads to{' '}
            <code>/hooks/&lt;source&gt;</code> (docs/agent-integration.md).
          </p>
        </>
      )}
    </section>
  );
}
