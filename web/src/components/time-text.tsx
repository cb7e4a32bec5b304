import { localText, utcText } from '../time.ts';

/** A time in the browser's zone, the UTC instant on hover. */
export function TimeText({ at }: { at: string | number | Date | null | undefined }) {
  if (at === null || at === undefined) return <span>—</span>;
  const date = at instanceof Date ? at : new Date(at);
  return (
    <time dateTime={date.toISOString()} title={utcText(date)}>
      {localText(date)}
    </time>
  );
}
