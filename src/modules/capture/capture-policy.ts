/**
 * The capture policy: what of a hook payload is kept before it is stored.
 *
 * This runs on every ingested event, so the common case must cost little and allocate
 * nothing beyond the result: the payload is walked copy-on-write (an object or array is
 * copied only once something inside it changes, and the input itself is returned when
 * nothing does), strings shorter than MIN_SECRET_LENGTH are never scanned, a longer one is
 * first tested for the few literals every secret rule starts from and scanned by the one
 * combined regex only when it holds one (see secret-patterns.ts), and a field's serialized
 * size is computed exactly (JSON.stringify) only when a cheap upper bound says it might
 * exceed maxFieldBytes.
 */
import { type CapturePolicy, MIN_FIELD_BYTES } from '../../core/capture-settings.ts';
import { isSecretKey, redactInto, redactSecretValue, type RedactionTally } from './secret-patterns.ts';

export type { CaptureMode, CapturePolicy } from '../../core/capture-settings.ts';
export { MIN_FIELD_BYTES } from '../../core/capture-settings.ts';

export interface CaptureResult {
  /** The input object itself when the policy changed nothing. */
  data: Record<string, unknown>;
  redactions: number;
  /** Top-level fields replaced by a truncated preview, in payload order. */
  truncated: string[];
}

/** Fields carrying what the user and the agent wrote or read: dropped in metadata mode. */
export const CONTENT_FIELDS: ReadonlySet<string> = new Set([
  'prompt',
  'tool_input',
  'tool_response',
  'error',
  'last_assistant_message',
  'custom_instructions',
  'message',
  'permission_suggestions',
]);

/** Fields metadata mode keeps whatever their length (ids, paths, names, timings, outcomes). */
export const METADATA_FIELDS: ReadonlySet<string> = new Set([
  'session_id',
  'transcript_path',
  'cwd',
  'permission_mode',
  'hook_event_name',
  'tool_name',
  'tool_use_id',
  'duration_ms',
  'is_interrupt',
  'agent_id',
  'agent_type',
  'agent_transcript_path',
  'notification_type',
  'reason',
  'source',
  'model',
  'trigger',
  'stop_hook_active',
  // What hookd itself adds: project, branch, terminal, and what the policy changed.
  '_hookd',
]);

/**
 * Metadata mode keeps an unknown string of up to this many characters; an unknown field is
 * otherwise judged by its JSON size, at most that of such a string in ASCII (258 bytes), so
 * that kept fields, objects or strings, never outgrow what a second application would keep.
 */
export const METADATA_MAX_UNKNOWN = 256;
const METADATA_MAX_UNKNOWN_BYTES = METADATA_MAX_UNKNOWN + 2;

// Reset at the start of each call; a module-level tally spares an allocation per event.
const tally: RedactionTally = { redactions: 0 };

export function applyCapturePolicy(data: Record<string, unknown>, policy: CapturePolicy): CaptureResult {
  const mode = policy.mode;
  const maxFieldBytes = Math.max(policy.maxFieldBytes, MIN_FIELD_BYTES);
  tally.redactions = 0;
  const truncated: string[] = [];
  let out: Record<string, unknown> | undefined;
  for (const key in data) {
    if (!Object.hasOwn(data, key)) continue;
    const value = data[key];
    let kept = mode === 'full' ? value : captureField(key, value, mode === 'metadata');
    // Redaction runs first so that a preview never shows a secret; a summary is tiny already.
    if (!isOmittedSummary(kept) && sizeBound(kept, maxFieldBytes) > maxFieldBytes) {
      const text = JSON.stringify(kept) ?? '';
      const bytes = Buffer.byteLength(text, 'utf8');
      if (bytes > maxFieldBytes) {
        kept = truncatedPreview(text, bytes, maxFieldBytes, mode !== 'full');
        truncated.push(key);
      }
    }
    if (kept !== value) {
      out ??= { ...data };
      setOwn(out, key, kept);
    }
  }
  return { data: out ?? data, redactions: tally.redactions, truncated };
}

function captureField(key: string, value: unknown, metadata: boolean): unknown {
  if (metadata && CONTENT_FIELDS.has(key) && value !== null && value !== undefined) return omitted(value);
  const before = tally.redactions;
  const kept = redactProperty(key, value);
  // An unknown field is judged after redaction, which can lengthen it: judged before, a kept
  // field could grow past the limit and be omitted by a second application.
  if (metadata && !CONTENT_FIELDS.has(key) && !METADATA_FIELDS.has(key) && isLargeUnknown(kept)) {
    tally.redactions = before;
    return omitted(value);
  }
  return kept;
}

function omitted(value: unknown): unknown {
  return isOmittedSummary(value) ? value : { omitted: true, bytes: jsonBytes(value) };
}

// An unknown field (one a newer agent version added) is content when big: metadata mode
// promises no content, and small values are usually flags, ids or names.
function isLargeUnknown(value: unknown): boolean {
  if (typeof value === 'string') {
    if (value.length > METADATA_MAX_UNKNOWN) return true;
  } else if (typeof value !== 'object' || value === null) return false;
  return sizeBound(value, METADATA_MAX_UNKNOWN_BYTES) > METADATA_MAX_UNKNOWN_BYTES && jsonBytes(value) > METADATA_MAX_UNKNOWN_BYTES;
}

// Applying the policy again to its own output must change nothing, so a summary stays as is.
function isOmittedSummary(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const summary = value as Record<string, unknown>;
  return summary.omitted === true && typeof summary.bytes === 'number' && Object.keys(summary).length === 2;
}

function redactProperty(key: string, value: unknown): unknown {
  if (typeof value === 'string') return isSecretKey(key) ? redactSecretValue(key, value, tally) : redactInto(value, tally);
  return redactValue(value);
}

function redactValue(value: unknown): unknown {
  if (typeof value === 'string') return redactInto(value, tally);
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const kept = redactValue(item);
      if (kept !== item) {
        copy ??= value.slice();
        copy[i] = kept;
      }
    }
    return copy ?? value;
  }
  const obj = value as Record<string, unknown>;
  let copy: Record<string, unknown> | undefined;
  let renamed: Map<string, string> | undefined;
  for (const key in obj) {
    if (!Object.hasOwn(obj, key)) continue;
    const item = obj[key];
    const kept = redactProperty(key, item);
    if (kept !== item) {
      copy ??= { ...obj };
      setOwn(copy, key, kept);
    }
    // A token used as a key (a map by token) is no safer there than as a value. Every token
    // the rules know is at least SECRET_KEY_LENGTH long, and most keys are shorter.
    if (key.length >= SECRET_KEY_LENGTH) {
      const keptKey = redactInto(key, tally);
      if (keptKey !== key) (renamed ??= new Map()).set(key, keptKey);
    }
  }
  if (!renamed) return copy ?? obj;
  const source = copy ?? obj;
  const rebuilt: Record<string, unknown> = {};
  for (const key of Object.keys(source)) setOwn(rebuilt, renamed.get(key) ?? key, source[key]);
  return rebuilt;
}

const SECRET_KEY_LENGTH = 16;

// A plain assignment to `__proto__` would set the prototype instead of the property that
// JSON.parse created; defineProperty keeps it an ordinary own property.
function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
  else obj[key] = value;
}

/**
 * An upper bound of the UTF-8 size of JSON.stringify(value), without allocating: a UTF-16
 * unit takes at most 6 bytes (`\u001f`). Stops as soon as the bound passes `limit`.
 */
function sizeBound(value: unknown, limit: number): number {
  if (typeof value === 'string') return value.length * 6 + 2;
  if (typeof value !== 'object' || value === null) return 24; // longest number, e.g. -1.2345678901234567e-300
  let total = 2;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length && total <= limit; i++) total += sizeBound(value[i], limit - total) + 1;
    return total;
  }
  const obj = value as Record<string, unknown>;
  for (const key in obj) {
    if (total > limit) break;
    if (Object.hasOwn(obj, key)) total += key.length * 6 + 4 + sizeBound(obj[key], limit - total);
  }
  return total;
}

function jsonBytes(value: unknown): number {
  const text = JSON.stringify(value);
  return text === undefined ? 0 : Buffer.byteLength(text, 'utf8');
}

/**
 * `{truncated, bytes, preview}` whose serialization fits in maxFieldBytes: the preview is the
 * longest prefix of `text` (the field's JSON, already redacted) that fits in what the
 * envelope leaves. The prefix is itself redacted, because JSON text can show what the object
 * walk did not (`"api_token":12345`, a cut marker); without this a second application would
 * find more. Redaction can lengthen it, so the cut is retried shorter until it fits.
 */
function truncatedPreview(text: string, bytes: number, maxFieldBytes: number, redact: boolean): Record<string, unknown> {
  const room = maxFieldBytes - `{"truncated":true,"bytes":${bytes},"preview":""}`.length;
  let cut = room;
  for (;;) {
    const preview = text.slice(0, prefixEnd(text, cut));
    if (!redact) return { truncated: true, bytes, preview };
    const before = tally.redactions;
    const redacted = redactInto(preview, tally);
    const over = redacted === preview ? 0 : jsonBytes(redacted) - 2 - room;
    if (over <= 0) return { truncated: true, bytes, preview: redacted };
    tally.redactions = before;
    cut -= over;
  }
}

/**
 * Where to cut `text` so that the cut's JSON string encoding, quotes excluded, takes at most
 * `budget` bytes. `text` is JSON, so it holds no raw control characters or lone surrogates; a
 * quote or backslash costs 2 bytes once escaped again, and a surrogate pair is taken whole or
 * not at all.
 */
function prefixEnd(text: string, budget: number): number {
  let used = 0;
  let end = 0;
  while (end < text.length) {
    const c = text.charCodeAt(end);
    let units = 1;
    let cost: number;
    if (c === 0x22 || c === 0x5c) cost = 2;
    else if (c < 0x80) cost = 1;
    else if (c < 0x800) cost = 2;
    else if (c >= 0xd800 && c <= 0xdbff && end + 1 < text.length) {
      cost = 4;
      units = 2;
    } else cost = 3;
    if (used + cost > budget) break;
    used += cost;
    end += units;
  }
  return end;
}

/**
 * `data` as the policy keeps it, with what it changed said in `data._hookd` (`truncated`:
 * the fields cut; `redactions`: how many values; which also marks the tool use row as
 * truncated). Ingest applies it to every event, and `hookd emit` to what it spools, so no
 * secret waits on disk unredacted; applied again (on replay) it changes nothing more and
 * keeps the first application's note.
 */
export function keptByCapturePolicy(data: Record<string, unknown>, policy: CapturePolicy): Record<string, unknown> {
  const result = applyCapturePolicy(data, policy);
  if (result.redactions === 0 && result.truncated.length === 0) return result.data;
  const previous = result.data._hookd;
  const context: Record<string, unknown> =
    typeof previous === 'object' && previous !== null && !Array.isArray(previous) ? { ...previous } : {};
  if (result.truncated.length > 0) context.truncated = result.truncated;
  if (result.redactions > 0) context.redactions = result.redactions;
  const out = result.data === data ? { ...data } : result.data;
  Object.defineProperty(out, '_hookd', { value: context, writable: true, enumerable: true, configurable: true });
  return out;
}
