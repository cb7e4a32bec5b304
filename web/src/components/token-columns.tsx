import { TokenText } from './token-text.tsx';

/** The four kinds of token every cost table shows, in one order. */
export interface TokenCounts {
  input_tokens: number;
  output_tokens: number;
  cache_read_tokens: number;
  cache_creation_tokens: number;
}

/** Their column heads. */
export function TokenHeads() {
  return (
    <>
      {['Input', 'Output', 'Cache read', 'Cache write'].map((label) => (
        <th key={label} scope="col" class="num">
          {label}
        </th>
      ))}
    </>
  );
}

/** Their cells, for one row. */
export function TokenCells({ row }: { row: TokenCounts }) {
  return (
    <>
      {(['input_tokens', 'output_tokens', 'cache_read_tokens', 'cache_creation_tokens'] as const).map((key) => (
        <td key={key} class="num">
          <TokenText n={row[key]} />
        </td>
      ))}
    </>
  );
}
