/** Visible progress while a request is out: a bar that moves, and words for screen readers. */
export function Loading({ label = 'Loading' }: { label?: string }) {
  return (
    <div class="loading" role="status" aria-live="polite">
      <div class="loading-bar" aria-hidden="true" />
      <span>{label}…</span>
    </div>
  );
}

/** What went wrong, and a way to try again. */
export function Failure({ error, retry }: { error: Error; retry?: () => void }) {
  return (
    <div class="failure" role="alert">
      <strong>Could not load this.</strong> <span>{error.message}</span>
      {retry && (
        <button type="button" onClick={retry}>
          Try again
        </button>
      )}
    </div>
  );
}
