import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../core/app-error.ts';
import { OTLP_DESCRIPTOR } from './otlp-descriptor.ts';
import { decodeExport, exportResponse, exportResponseJson } from './otlp-protobuf.ts';
import { usageFromLogs } from './usage-from-logs.ts';
import { usageFromMetrics } from './usage-from-metrics.ts';

const PROTO_DIR = fileURLToPath(new URL('./proto', import.meta.url));
const DESCRIPTOR_FILE = fileURLToPath(new URL('./otlp-descriptor.ts', import.meta.url));
const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../../../test/fixtures/otel/${name}`, import.meta.url), 'utf8'));

/** The vendored .proto files, parsed as the server's descriptor was made from them. */
function protoRoot(): protobuf.Root {
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => join(PROTO_DIR, target);
  root.loadSync([
    'opentelemetry/proto/collector/logs/v1/logs_service.proto',
    'opentelemetry/proto/collector/metrics/v1/metrics_service.proto',
  ]);
  return root;
}
const root = protoRoot();
const LogsRequest = root.lookupType('opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest');
const MetricsRequest = root.lookupType('opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest');
const encode = (type: protobuf.Type, json: unknown) => type.encode(type.fromObject(json as Record<string, unknown>)).finish();

describe('OTLP protobuf', () => {
  it('decodes with a descriptor that is exactly the vendored .proto files', () => {
    const parsed = JSON.parse(JSON.stringify(root.toJSON()));
    if (process.env.UPDATE_OTLP_DESCRIPTOR === '1') {
      const head = readFileSync(DESCRIPTOR_FILE, 'utf8').split('export const OTLP_DESCRIPTOR')[0];
      writeFileSync(DESCRIPTOR_FILE, `${head}export const OTLP_DESCRIPTOR = ${JSON.stringify(parsed, null, 2)};\n`);
      return;
    }
    expect(OTLP_DESCRIPTOR, 'otlp-descriptor.ts is stale: run this test with UPDATE_OTLP_DESCRIPTOR=1, then biome').toEqual(parsed);
  });

  it('turns a protobuf export into what its JSON gives: the same events', () => {
    for (const [name, type, map] of [
      ['claude-code-logs.json', LogsRequest, usageFromLogs],
      ['codex-logs.json', LogsRequest, usageFromLogs],
      ['claude-code-metrics.json', MetricsRequest, usageFromMetrics],
    ] as const) {
      const json = fixture(name);
      const decoded = decodeExport(type === LogsRequest ? 'logs' : 'metrics', encode(type, json), 200);
      expect(map(decoded, { teamId: null }), name).toEqual(map(json, { teamId: null }));
    }
  });

  it('keeps oneof members that hold their default value, and writes 64-bit integers as strings', () => {
    const json = {
      resourceLogs: [
        {
          scopeLogs: [
            {
              logRecords: [
                {
                  timeUnixNano: '1796205604500000001',
                  attributes: [
                    { key: 'f', value: { boolValue: false } },
                    { key: 'z', value: { intValue: 0 } },
                    { key: 'e', value: { stringValue: '' } },
                    { key: 'd', value: { doubleValue: 0 } },
                    { key: 'big', value: { intValue: '-9007199254740993' } },
                  ],
                },
              ],
            },
          ],
        },
      ],
    };
    const decoded = decodeExport('logs', encode(LogsRequest, json), 200) as typeof json;
    const record = decoded.resourceLogs[0]!.scopeLogs[0]!.logRecords[0]!;
    expect(record.timeUnixNano).toBe('1796205604500000001');
    expect(record.attributes).toEqual([
      { key: 'f', value: { boolValue: false } },
      { key: 'z', value: { intValue: '0' } },
      { key: 'e', value: { stringValue: '' } },
      { key: 'd', value: { doubleValue: 0 } },
      { key: 'big', value: { intValue: '-9007199254740993' } },
    ]);
  });

  it('refuses bytes that are not the message, and nesting deeper than a JSON body may', () => {
    const problem = (bytes: Uint8Array, depth = 200) => {
      try {
        decodeExport('logs', bytes, depth);
      } catch (error) {
        expect(error).toBeInstanceOf(ValidationError);
        return (error as ValidationError).problems[0]!;
      }
      return null;
    };
    expect(problem(Buffer.from('not protobuf at all'))).toMatchObject({ field: '(body)' });
    expect(problem(Buffer.from([0x0a, 0x05, 0x01]))!.message).toMatch(/^is not a protobuf ExportLogsServiceRequest: /);
    const valid = encode(LogsRequest, fixture('claude-code-logs.json'));
    expect(problem(valid.subarray(0, valid.length - 3))).toMatchObject({ field: '(body)' });
    expect(problem(valid, 8)!.message).toBe('is nested deeper than 8 levels');
    expect(problem(new Uint8Array())).toBeNull();
  });

  it('answers an empty response for a full success, and partial_success otherwise', () => {
    expect(exportResponse('logs', 0, '')).toHaveLength(0);
    const Response = root.lookupType('opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse');
    const decoded = Response.toObject(Response.decode(exportResponse('metrics', 3, 'a: b')), { longs: Number });
    expect(decoded).toEqual({ partialSuccess: { rejectedDataPoints: 3, errorMessage: 'a: b' } });
    expect(exportResponseJson('logs', 0, '')).toEqual({});
    expect(exportResponseJson('logs', 2, 'x')).toEqual({ partialSuccess: { rejectedLogRecords: '2', errorMessage: 'x' } });
  });
});
