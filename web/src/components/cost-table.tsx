import type { ComponentChildren } from 'preact';
import type { CostReport } from '../api-types.ts';
import { countText, percentText } from '../time.ts';
import { MoneyText } from './money-text.tsx';
import { ScrollBox } from './scroll-box.tsx';
import { TokenText } from './token-text.tsx';
import { TokenCells, TokenHeads } from './token-columns.tsx';

export interface CostTableProps {
  report: CostReport;
  /** What the rows are: the first column's header. */
  keyHeader: string;
  caption: string;
  /** The first cell of a row: its key as said (null: rows with none, e.g. sessions without a project). */
  keyCell: (key: string | null) => ComponentChildren;
}

/** One row per group of a cost report, biggest cost first as the server orders them, with its share of the cost. */
export function CostTable({ report, keyHeader, caption, keyCell }: CostTableProps) {
  const total = report.totals.cost_usd;
  return (
    <ScrollBox label={caption}>
      <table class="cost">
        <caption class="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{keyHeader}</th>
            <th scope="col" class="num">
              Cost
            </th>
            <th scope="col" class="num">
              Share
            </th>
            <TokenHeads />
            <th scope="col" class="num">
              Requests
            </th>
            <th scope="col" class="num">
              Sessions
            </th>
            <th scope="col" class="num">
              Unpriced tokens
            </th>
          </tr>
        </thead>
        <tbody>
          {report.items.map((g) => (
            <tr key={g.key ?? ''}>
              <th scope="row">{keyCell(g.key)}</th>
              <td class="num">
                <MoneyText usd={g.cost_usd} />
              </td>
              <td class="num">{total > 0 ? percentText(g.cost_usd / total) : '—'}</td>
              <TokenCells row={g} />
              <td class="num">{countText(g.requests)}</td>
              <td class="num">{countText(g.sessions)}</td>
              <td class={`num${g.unpriced_tokens ? ' warn' : ''}`}>{g.unpriced_tokens ? <TokenText n={g.unpriced_tokens} /> : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollBox>
  );
}
