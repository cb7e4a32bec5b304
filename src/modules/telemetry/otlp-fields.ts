import { ValidationError } from '../../core/app-error.ts';

/**
 * Readers of an OTLP export in its JSON shape (lowerCamelCase keys, int64 as a decimal
 * string or a number, enums as integers), which is also what a decoded protobuf export is
 * turned into: one reader serves both encodings. A value of the wrong type is a 400 naming
 * its path (`resourceLogs[0].scopeLogs[1].logRecords[2].timeUnixNano`). Absent and `null`
 * are the same: proto3's JSON mapping writes a default value either way.
 */
export type OtlpObject = Record<string, unknown>;

export function refuse(field: string, message: string): never {
  throw new ValidationError([{ field, message }]);
}

const typeOf = (value: unknown) => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);

/** A message field: undefined when absent. */
export function messageAt(value: unknown, field: string): OtlpObject | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) refuse(field, `must be an object (got ${typeOf(value)})`);
  return value as OtlpObject;
}

/** A repeated field: empty when absent. */
export function listAt(value: unknown, field: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) refuse(field, `must be an array (got ${typeOf(value)})`);
  return value;
}

/** Each element of a repeated message field, with its path. */
export function messagesAt(value: unknown, field: string): [OtlpObject, string][] {
  return listAt(value, field).map((item, i) => {
    const path = `${field}[${i}]`;
    return [messageAt(item, path) ?? refuse(path, 'must be an object (got null)'), path];
  });
}

export function stringAt(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') refuse(field, `must be a string (got ${typeOf(value)})`);
  return value;
}

const UNSIGNED = /^\d{1,20}$/;
const SIGNED = /^-?\d{1,20}$/;

/** A fixed64 time in nanoseconds since the epoch: undefined when absent or 0, which OTLP reads as unknown. */
export function nanosAt(value: unknown, field: string): bigint | undefined {
  if (value === undefined || value === null) return undefined;
  let nanos: bigint | undefined;
  if (typeof value === 'string' && UNSIGNED.test(value)) nanos = BigInt(value);
  else if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) nanos = BigInt(value);
  if (nanos === undefined || nanos >= 2n ** 64n) {
    refuse(field, 'must be nanoseconds since the epoch: a non-negative integer, as a decimal string or a number');
  }
  return nanos === 0n ? undefined : nanos;
}

/** Epoch milliseconds of a time in nanoseconds. */
export const millisOf = (nanos: bigint): number => Number(nanos / 1_000_000n);

/** An int64: a number when JavaScript holds it exactly, else its decimal string. */
export function int64At(value: unknown, field: string): number | string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && SIGNED.test(value)) {
    const n = Number(value);
    return Number.isSafeInteger(n) ? n : value;
  }
  return refuse(field, 'must be an integer, as a decimal string or a number');
}

const NON_FINITE = new Set(['NaN', 'Infinity', '-Infinity']);

/** A double; proto3 JSON writes the non-finite ones as strings, which are kept as such. */
export function doubleAt(value: unknown, field: string): number | string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && NON_FINITE.has(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return refuse(field, 'must be a number');
}

/** An enum: its integer (OTLP/JSON requires integers; the names are taken too, from `names`). */
export function enumAt(value: unknown, field: string, names: readonly string[] = []): number {
  if (value === undefined || value === null) return 0;
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && names.includes(value)) return names.indexOf(value);
  return refuse(field, 'must be an enum value, as an integer');
}
