import { doubleAt, int64At, listAt, messageAt, messagesAt, refuse, stringAt } from './otlp-fields.ts';

export type Plain = string | number | boolean | null | Plain[] | { [key: string]: Plain };
export type Attributes = Record<string, Plain>;

/**
 * A KeyValue list as a plain object, keys as sent (`session.id` stays one key). A key sent
 * twice keeps its last value. Built with Object.fromEntries, so a key such as `__proto__`
 * is an own property like any other.
 */
export function attributesOf(list: unknown, field: string): Attributes {
  const entries: [string, Plain][] = [];
  for (const [kv, path] of messagesAt(list, field)) {
    const key = stringAt(kv.key, `${path}.key`);
    if (!key) continue;
    entries.push([key, plainValueOf(kv.value, `${path}.value`)]);
  }
  return Object.fromEntries(entries);
}

/**
 * An AnyValue as plain JSON: strings, booleans and numbers as themselves (an int64 past
 * 2^53 as its decimal string), arrays and key-value lists as arrays and objects, bytes as
 * base64, an empty value as null. Nesting is bounded before this runs (the JSON body
 * parser, or the depth check after protobuf decoding), so the recursion is too.
 */
export function plainValueOf(value: unknown, field: string): Plain {
  const any = messageAt(value, field);
  if (!any) return null;
  if (any.stringValue !== undefined && any.stringValue !== null) return stringAt(any.stringValue, `${field}.stringValue`)!;
  if (any.boolValue !== undefined && any.boolValue !== null) {
    if (typeof any.boolValue !== 'boolean') refuse(`${field}.boolValue`, 'must be a boolean');
    return any.boolValue;
  }
  const int = int64At(any.intValue, `${field}.intValue`);
  if (int !== undefined) return int;
  const double = doubleAt(any.doubleValue, `${field}.doubleValue`);
  if (double !== undefined) return double;
  const array = messageAt(any.arrayValue, `${field}.arrayValue`);
  if (array) return listAt(array.values, `${field}.arrayValue.values`).map((v, i) => plainValueOf(v, `${field}.arrayValue.values[${i}]`));
  const kvlist = messageAt(any.kvlistValue, `${field}.kvlistValue`);
  if (kvlist) return attributesOf(kvlist.values, `${field}.kvlistValue.values`);
  const bytes = stringAt(any.bytesValue, `${field}.bytesValue`);
  if (bytes !== undefined) return bytes;
  return null;
}

/** A text attribute (an id, a name): a non-empty string, else null. */
export function textOf(value: Plain | undefined): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

const NUMERIC = /^-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?$/;

/** A number attribute, which agents send as an int, a double or (Codex) a decimal string. */
export function numberOf(value: Plain | undefined): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && NUMERIC.test(value)) {
    const n = Number(value);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}
