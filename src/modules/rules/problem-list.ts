/**
 * Problems found while validating a configuration, each at the JSON Pointer (RFC 6901) of the
 * offending value, as Ajv's instancePath: `/rules/2/conditions/conditions/0/operator`.
 * Validation goes on after a problem so that one reply lists them all.
 */

export interface ValidationProblem {
  /** JSON Pointer into the validated document; '' is the document itself. */
  path: string;
  message: string;
}

/**
 * A document can hold far more mistakes than anyone reads (200 rules of 1,000 bad conditions):
 * the list keeps the first MAX_PROBLEMS and ends with one entry counting the rest.
 */
export const MAX_PROBLEMS = 100;

export class ProblemList {
  readonly #problems: ValidationProblem[] = [];
  #omitted = 0;

  add(path: string, message: string): void {
    if (this.#problems.length < MAX_PROBLEMS) this.#problems.push({ path, message });
    else this.#omitted++;
  }

  /** Problems added so far, the unlisted ones included. */
  get size(): number {
    return this.#problems.length + this.#omitted;
  }

  list(): ValidationProblem[] {
    const out = this.#problems.slice();
    if (this.#omitted > 0) out.push({ path: '', message: `${this.#omitted} more problem(s) not listed` });
    return out;
  }
}

/** `base` extended by one reference token, escaped as RFC 6901 says (`~` -> `~0`, `/` -> `~1`). */
export function pointer(base: string, token: string | number): string {
  const text = typeof token === 'number' ? String(token) : token.replaceAll('~', '~0').replaceAll('/', '~1');
  return `${base}/${text}`;
}

export type JsonObject = Record<string, unknown>;

/** A non-null, non-array object; its properties are then read with Object.hasOwn only. */
export const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Reports every own key of `value` outside `allowed`, by name, and returns whether there were none. */
export function refuseUnknownKeys(value: JsonObject, allowed: readonly string[], path: string, problems: ProblemList): boolean {
  let clean = true;
  for (const key of Object.keys(value)) {
    if (allowed.includes(key)) continue;
    clean = false;
    problems.add(pointer(path, key), `unknown property "${clip(key)}" (allowed: ${allowed.join(', ')})`);
  }
  return clean;
}

/** A value quoted in a message, shortened: messages must stay readable whatever the input. */
export function clip(text: string, max = 60): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}

/** Describes a value's JSON type for messages ("expected a string, got an array"). */
export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'number' && !Number.isFinite(value)) return 'a non-finite number';
  return `a ${typeof value}`;
}

/** A string of 1..max characters, or a problem; `what` names it in the message. */
export function checkString(value: unknown, max: number, path: string, problems: ProblemList, what = 'a string'): value is string {
  if (typeof value !== 'string') {
    problems.add(path, `expected ${what}, got ${typeName(value)}`);
    return false;
  }
  if (value.length === 0 || value.length > max) {
    problems.add(path, `expected ${what} of 1 to ${max} characters, got ${value.length}`);
    return false;
  }
  return true;
}
