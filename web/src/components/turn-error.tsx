/**
 * The session's latest turn ended in an API error (StopFailure): said first, as the agent
 * sat waiting on it; the server forgets it at the next prompt.
 */
export function TurnError({ kind, message }: { kind: string; message: string | null }) {
  return (
    <p class="turn-error">
      <strong>Turn ended in error: {kind}</strong>
      {message && <span> — {message}</span>}
      <span class="muted"> (the agent's latest turn; cleared by the next prompt)</span>
    </p>
  );
}
