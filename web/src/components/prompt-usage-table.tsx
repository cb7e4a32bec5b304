import { TokenCells, TokenHeads } from './token-columns.tsx';
import type { PromptUsage, SessionDetail } from '../api-types.ts';
import { countText } from '../time.ts';
import { MoneyText } from './money-text.tsx';
import { ScrollBox } from './scroll-box.tsx';
import { TimeText } from './time-text.tsx';
import { TokenText } from './token-text.tsx';

export interface PromptUsageTableProps {
  session: SessionDetail;
  /** "Prompt", or "Turn" for Codex. */
  promptTerm: string;
}

const shortId = (id: string) => (id.length > 13 ? `${id.slice(0, 8)}…` : id);

/**
 * A session's counted token usage per prompt and model, in the order the server gives
 * (by the first request), with the session's totals under it when there is more than one
 * row. The unpriced column shows only when some model had no price.
 */
export function PromptUsageTable({ session, promptTerm }: PromptUsageTableProps) {
  const rows = session.usage;
  const unpriced = rows.some((u) => u.unpriced_tokens > 0) || session.unpriced_tokens > 0;
  return (
    <ScrollBox label={`Cost by ${promptTerm.toLowerCase()}`}>
      <table class="prompt-usage">
        <caption class="visually-hidden">Tokens and cost of each {promptTerm.toLowerCase()} and model, in order</caption>
        <thead>
          <tr>
            <th scope="col">{promptTerm}</th>
            <th scope="col">Model</th>
            <th scope="col">First request</th>
            <th scope="col" class="num">
              Requests
            </th>
            <TokenHeads />
            <th scope="col" class="num">
              Cost
            </th>
            {unpriced && (
              <th scope="col" class="num">
                Unpriced tokens
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {rows.map((u) => (
            <tr key={`${u.prompt_id ?? ''}|${u.model ?? ''}`}>
              <th scope="row">
                {u.prompt_id ? <code title={u.prompt_id}>{shortId(u.prompt_id)}</code> : <span class="muted">(none)</span>}
              </th>
              <td>{u.model ?? '—'}</td>
              <td>
                <TimeText at={u.first_at} />
              </td>
              <Figures u={u} unpriced={unpriced} />
            </tr>
          ))}
        </tbody>
        {rows.length > 1 && (
          <tfoot>
            <tr>
              <th scope="row" colSpan={3}>
                Session
              </th>
              <Figures u={{ ...session, requests: rows.reduce((n, u) => n + u.requests, 0) }} unpriced={unpriced} />
            </tr>
          </tfoot>
        )}
      </table>
    </ScrollBox>
  );
}

type Counts = Pick<
  PromptUsage,
  'requests' | 'input_tokens' | 'output_tokens' | 'cache_read_tokens' | 'cache_creation_tokens' | 'cost_usd' | 'unpriced_tokens'
>;

function Figures({ u, unpriced }: { u: Counts; unpriced: boolean }) {
  return (
    <>
      <td class="num">{countText(u.requests)}</td>
      <TokenCells row={u} />
      <td class="num">
        <MoneyText usd={u.cost_usd} />
      </td>
      {unpriced && (
        <td class={`num${u.unpriced_tokens ? ' warn' : ''}`}>{u.unpriced_tokens ? <TokenText n={u.unpriced_tokens} /> : '—'}</td>
      )}
    </>
  );
}
