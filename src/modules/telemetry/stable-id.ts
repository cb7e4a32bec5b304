import { createHash } from 'node:crypto';
import type { Plain } from './otlp-attributes.ts';

/**
 * An event id derived from what identifies a record, so that an exporter's retry (or an
 * export sent twice) stores nothing new. Object keys are sorted first: two encodings of
 * one record (JSON with keys in any order, protobuf) give the same id.
 */
export function stableId(prefix: string, parts: Plain[]): string {
  return `${prefix}${createHash('sha256').update(canonical(parts)).digest('hex').slice(0, 32)}`;
}

function canonical(value: Plain): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(value[k]!)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The same canonical text, to tell values apart. */
export const sameValue = (a: Plain, b: Plain): boolean => canonical(a) === canonical(b);
