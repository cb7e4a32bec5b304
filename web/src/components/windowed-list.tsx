import type { ComponentChildren } from 'preact';
import { useRef, useState } from 'preact/hooks';

export interface WindowedListProps<T> {
  items: readonly T[];
  /** Every row is this tall (px): what lets the list draw only the rows in view. */
  rowHeight: number;
  /** Visible height (px). */
  height: number;
  label: string;
  keyOf: (item: T) => string;
  render: (item: T) => ComponentChildren;
}

const OVERSCAN = 8;

/**
 * A list that draws only the rows in view, so thousands of rows (and hundreds of new ones a
 * second) cost the same as a screenful. Rows are `role=listitem` inside a focusable list.
 */
export function WindowedList<T>({ items, rowHeight, height, label, keyOf, render }: WindowedListProps<T>) {
  const [top, setTop] = useState(0);
  const box = useRef<HTMLElement>(null);
  const first = Math.max(0, Math.floor(top / rowHeight) - OVERSCAN);
  const last = Math.min(items.length, Math.ceil((top + height) / rowHeight) + OVERSCAN);
  const rows = [];
  for (let i = first; i < last; i++) {
    const item = items[i]!;
    rows.push(
      <li key={keyOf(item)} class="row" style={{ top: `${i * rowHeight}px`, height: `${rowHeight}px` }}>
        {render(item)}
      </li>,
    );
  }
  return (
    <section
      ref={box}
      class="windowed"
      aria-label={label}
      // biome-ignore lint/a11y/noNoninteractiveTabindex: the list scrolls by keyboard too.
      tabIndex={0}
      style={{ height: `${height}px` }}
      onScroll={(e) => setTop((e.currentTarget as HTMLElement).scrollTop)}
    >
      <ul style={{ height: `${items.length * rowHeight}px` }}>{rows}</ul>
    </section>
  );
}
