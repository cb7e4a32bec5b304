import type { ComponentChildren } from 'preact';

/** A table's box, scrolled sideways where the table is wider than the screen: by keyboard too, so it takes the focus. */
export function ScrollBox({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <section
      class="table-wrap"
      aria-label={label}
      // biome-ignore lint/a11y/noNoninteractiveTabindex: the box scrolls by keyboard too.
      tabIndex={0}
    >
      {children}
    </section>
  );
}
