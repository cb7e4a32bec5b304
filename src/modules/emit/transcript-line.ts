/**
 * One line of a Claude Code transcript (`~/.claude/projects/<project>/<session>.jsonl`), as
 * far as tokens go. The format is Claude Code's own and changes between versions, so
 * anything unexpected reads as `other` rather than failing the read:
 * - a `type: "user"` line may carry `promptId`: the prompt the following requests answer;
 * - a `type: "assistant"` line carries `message.usage` of the model request it came from
 *   (`requestId`, `message.id`). A response is written as one line per content block, each
 *   repeating the ids, so a request spans several lines (transcript-reader.ts keeps one).
 */
export type TranscriptLine =
  | { kind: 'prompt'; promptId: string }
  | ({ kind: 'usage' } & UsageLine)
  /** Claude Code's own stand-in messages (an API error, an interruption), model `<synthetic>`: no request was made. */
  | { kind: 'synthetic' }
  /** A usage line naming neither `requestId` nor `message.id`: it could not be told from the other lines of its request. */
  | { kind: 'unkeyed' }
  | { kind: 'malformed' }
  | { kind: 'other' };

export interface UsageLine {
  /** `message.id:requestId`, the key ccusage dedupes on; either alone when the other is missing. */
  key: string;
  requestId: string | null;
  messageId: string | null;
  model: string | null;
  /** The line's `timestamp`, epoch ms; null when missing or unreadable. */
  timestamp: number | null;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheCreationTokens: number;
}

const SYNTHETIC_MODEL = '<synthetic>';
const PROMPT_KEY = Buffer.from('"promptId"');
const USAGE_KEY = Buffer.from('"usage"');

/**
 * Whether a line may matter, looked at as bytes: most of a transcript is tool results and
 * file contents, lines that carry neither key, and parsing them would cost most of a read.
 */
export function mayMatter(line: Buffer): boolean {
  return line.includes(USAGE_KEY) || line.includes(PROMPT_KEY);
}

export function parseTranscriptLine(text: string): TranscriptLine {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { kind: 'malformed' };
  }
  if (!isObject(value)) return { kind: 'malformed' };
  if (value.type === 'user')
    return typeof value.promptId === 'string' && value.promptId !== '' ? { kind: 'prompt', promptId: value.promptId } : { kind: 'other' };
  if (value.type !== 'assistant' || !isObject(value.message) || !isObject(value.message.usage)) return { kind: 'other' };
  const message = value.message;
  const usage = message.usage as Record<string, unknown>;
  const model = text255(message.model);
  if (model === SYNTHETIC_MODEL) return { kind: 'synthetic' };
  const requestId = text255(value.requestId);
  const messageId = text255(message.id);
  if (requestId === null && messageId === null) return { kind: 'unkeyed' };
  return {
    kind: 'usage',
    key: `${messageId ?? ''}:${requestId ?? ''}`,
    requestId,
    messageId,
    model,
    timestamp: typeof value.timestamp === 'string' ? epochMs(value.timestamp) : null,
    inputTokens: tokens(usage.input_tokens),
    outputTokens: tokens(usage.output_tokens),
    cacheReadTokens: tokens(usage.cache_read_input_tokens),
    cacheCreationTokens: tokens(usage.cache_creation_input_tokens),
  };
}

function tokens(value: unknown): number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : 0;
}

function text255(value: unknown): string | null {
  return typeof value === 'string' && value !== '' && value.length <= 255 ? value : null;
}

function epochMs(text: string): number | null {
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? ms : null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
