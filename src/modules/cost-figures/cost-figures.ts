/** What `/analytics/cost` groups the counted token_usage rows by. */
export const COST_GROUPINGS = ['day', 'model', 'project', 'team', 'source', 'session'] as const;
export type CostGrouping = (typeof COST_GROUPINGS)[number];

/**
 * Which counted token_usage rows a cost read covers; times in epoch ms of the rows' own
 * time (the request, or the metric window), `to` exclusive. `teamId` and `sessionId` carry
 * the caller's binding as well as the filters, applied in the query.
 */
export interface CostFilter {
  from?: number;
  to?: number;
  source?: string;
  project?: string;
  teamId?: string;
  model?: string;
  sessionId?: string;
}

/** Tokens, cost and counts over a set of counted rows. */
export interface CostFigures {
  input_tokens: number;
  output_tokens: number;
  cache_read_tokens: number;
  cache_creation_tokens: number;
  /** US dollars, reported or priced; rows of models without a price add nothing here. */
  cost_usd: number;
  /** Tokens of rows without a cost (a model hookd has no price for). */
  unpriced_tokens: number;
  /** Counted rows: model requests, or metric windows where a session has only those. */
  requests: number;
  sessions: number;
}

/** One group: its key (a UTC date, model, project, team, source or session id; null where the rows have none). */
export interface CostGroup extends CostFigures {
  key: string | null;
}

/** The counted tokens and cost of one model (null: requests without a model name), for /metrics. */
export interface ModelUsage {
  model: string | null;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheCreationTokens: number;
  costUsd: number;
}

export const EMPTY_FIGURES: Readonly<CostFigures> = {
  input_tokens: 0,
  output_tokens: 0,
  cache_read_tokens: 0,
  cache_creation_tokens: 0,
  cost_usd: 0,
  unpriced_tokens: 0,
  requests: 0,
  sessions: 0,
};
