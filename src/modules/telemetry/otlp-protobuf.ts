import protobuf from 'protobufjs/light.js';
import { ValidationError } from '../../core/app-error.ts';
import { jsonProblem } from '../../core/json-guard.ts';
import { OTLP_DESCRIPTOR } from './otlp-descriptor.ts';

export type Signal = 'logs' | 'metrics';

const root = protobuf.Root.fromJSON(OTLP_DESCRIPTOR);
const TYPES = {
  logs: {
    request: root.lookupType('opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest'),
    response: root.lookupType('opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse'),
    rejected: 'rejectedLogRecords',
  },
  metrics: {
    request: root.lookupType('opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest'),
    response: root.lookupType('opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse'),
    rejected: 'rejectedDataPoints',
  },
} as const;

/**
 * The OTLP/JSON shape: lowerCamelCase keys, 64-bit integers as decimal strings, enums as
 * integers, bytes as base64, NaN and Infinity as strings. Only fields present on the wire
 * are set, including a oneof member holding its default (`boolValue: false`, `intValue: 0`).
 */
const AS_JSON: protobuf.IConversionOptions = { longs: String, enums: Number, bytes: String, json: true };

/**
 * A protobuf export request as the JSON one would be, so one reader maps both. Bytes that
 * are not the message, or that nest deeper than a JSON body may, are a 400.
 */
export function decodeExport(signal: Signal, bytes: Uint8Array, maxDepth: number): unknown {
  const type = TYPES[signal].request;
  let value: unknown;
  try {
    value = type.toObject(type.decode(bytes), AS_JSON);
  } catch (error) {
    // Truncated or garbled bytes, a wrong wire type, or nesting past the stack (RangeError).
    throw new ValidationError([{ field: '(body)', message: `is not a protobuf ${type.name}: ${(error as Error).message}` }]);
  }
  const problem = jsonProblem(value, maxDepth);
  if (problem) throw new ValidationError([problem]);
  return value;
}

/** The Export*ServiceResponse: empty for a full success, else its partial_success. */
export function exportResponse(signal: Signal, rejected: number, errorMessage: string): Buffer {
  const { response, rejected: field } = TYPES[signal];
  const message = rejected > 0 ? response.fromObject({ partialSuccess: { [field]: rejected, errorMessage } }) : response.create();
  return Buffer.from(response.encode(message).finish());
}

/** The same response in OTLP/JSON. */
export function exportResponseJson(signal: Signal, rejected: number, errorMessage: string): Record<string, unknown> {
  return rejected > 0 ? { partialSuccess: { [TYPES[signal].rejected]: String(rejected), errorMessage } } : {};
}
