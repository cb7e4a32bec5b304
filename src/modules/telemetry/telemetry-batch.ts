import type { Attributes } from './otlp-attributes.ts';

/** What an export's records become before the ingest normalizer judges them. */
export interface TelemetryBatch {
  events: TelemetryEvent[];
  /** Records (log records, data points) refused while mapping, before the normalizer. */
  rejected: number;
  /** Why, each naming the record's path in the export. */
  problems: string[];
}

export interface TelemetryEvent {
  /** The path of the record in the export, for error messages. */
  field: string;
  /** The canonical wire event, as POST /events takes it. */
  event: Record<string, unknown>;
  /** How many records it stands for: refused, they are all rejected. */
  records: number;
}

/** What the request adds to every event: the team, as the hook route decides it. */
export interface TelemetryContext {
  teamId: string | null;
}

/** The agent, from the resource's `service.name`: `claude-code`, `claude-code-desktop`, `codex-cli`, `codex_exec`, ... */
export function sourceOf(resource: Attributes): string {
  const name = typeof resource['service.name'] === 'string' ? resource['service.name'].toLowerCase() : '';
  if (name.startsWith('claude-code')) return 'claude-code';
  if (name.startsWith('codex')) return 'codex';
  return 'otel';
}
