import { AppError } from '../../core/app-error.ts';

export type JsonObject = Record<string, unknown>;

/** A configuration file hookd will not edit; the message names the problem, the caller adds the file. */
export class SettingsFileError extends AppError {
  constructor(problem: string) {
    super('invalid_agent_settings', problem, 400);
  }
}

/**
 * How a JSON file is laid out, so a rewrite keeps the user's own style: the diff then
 * shows only what changed, and an uninstall without a record still looks like the file.
 */
export interface JsonFormat {
  bom: boolean;
  /** Two or four spaces, a tab...; two when the file has no indented line. */
  indent: string;
  eol: '\n' | '\r\n';
  finalNewline: boolean;
}

/** Claude Code's, Codex's and Gemini's own layout: what a file hookd creates looks like. */
export const DEFAULT_JSON_FORMAT: JsonFormat = { bom: false, indent: '  ', eol: '\n', finalNewline: true };

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Strict JSON: the agents write plain JSON, and a comment could not survive a rewrite. */
export function parseJsonSettings(text: string, name = 'settings.json'): JsonObject {
  const body = text.replace(/^\uFEFF/, '');
  if (body.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    // V8 quotes a piece of the text, which may be an API key from `env`: keep only the position.
    const reason = String((error as Error).message).replace(/, ".*" is not valid JSON$/s, '');
    throw new SettingsFileError(
      `not valid JSON (${reason}); comments and trailing commas are not supported in ${name}, remove them and run again`,
    );
  }
  if (!isJsonObject(value)) throw new SettingsFileError(`the top level must be a JSON object, not ${describeJson(value)}`);
  return value;
}

export function jsonFormatOf(text: string | null): JsonFormat {
  if (text === null || text.trim() === '') return DEFAULT_JSON_FORMAT;
  const bom = text.startsWith('\uFEFF');
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const indented = /\n([ \t]+)\S/.exec(text);
  return { bom, indent: indented ? indented[1]! : DEFAULT_JSON_FORMAT.indent, eol, finalNewline: /\n\s*$/.test(text) };
}

export function serializeJsonSettings(settings: JsonObject, format: JsonFormat = DEFAULT_JSON_FORMAT): string {
  const body = JSON.stringify(settings, null, format.indent);
  // JSON strings hold no raw line break, so every newline here is layout.
  const lines = format.eol === '\n' ? body : body.replaceAll('\n', '\r\n');
  return `${format.bom ? '\uFEFF' : ''}${lines}${format.finalNewline ? format.eol : ''}`;
}

export function describeJson(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/**
 * A copy with one key set: in its old place when present, else last. Built with
 * Object.fromEntries, which defines keys, so a `__proto__` key from JSON stays a key.
 */
export function withKey(object: JsonObject, key: string, value: unknown): JsonObject {
  const entries = Object.entries(object).map(([k, v]): [string, unknown] => [k, k === key ? value : v]);
  if (!Object.hasOwn(object, key)) entries.push([key, value]);
  return Object.fromEntries(entries);
}

export function withoutKey(object: JsonObject, key: string): JsonObject {
  return Object.fromEntries(Object.entries(object).filter(([k]) => k !== key));
}
