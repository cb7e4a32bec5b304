import { countText, tokenText } from '../time.ts';

/** Tokens short ("18.3k"), the exact count on hover. */
export function TokenText({ n }: { n: number }) {
  return <span title={`${countText(n)} tokens`}>{tokenText(n)}</span>;
}
