import type { ComponentChildren } from 'preact';

export interface FigureCardProps {
  label: string;
  value: string;
  /** What the figure counts, or why it is missing. */
  hint?: string;
  /** The page that explains the figure. */
  href?: string;
  tone?: 'good' | 'warn' | 'bad';
  children?: ComponentChildren;
}

/** One figure of the overview: big, labelled, a link to its page when there is one. */
export function FigureCard({ label, value, hint, href, tone, children }: FigureCardProps) {
  const body = (
    <>
      <span class="figure-label">{label}</span>
      <span class={`figure-value${tone ? ` ${tone}` : ''}`}>{value}</span>
      {hint && <span class="figure-hint">{hint}</span>}
      {children}
    </>
  );
  return <li class="figure">{href ? <a href={href}>{body}</a> : <div>{body}</div>}</li>;
}
