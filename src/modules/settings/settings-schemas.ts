import { Type } from 'typebox';

const Int = (description?: string) => Type.Integer(description ? { description } : {});

export const SettingsOut = Type.Object({
  version: Type.String(),
  storage: Type.Union([Type.Literal('sqlite'), Type.Literal('postgres')]),
  capture: Type.Object({
    mode: Type.Union([Type.Literal('full'), Type.Literal('redacted'), Type.Literal('metadata')], { description: 'HOOKD_CAPTURE' }),
    max_field_bytes: Int('HOOKD_MAX_FIELD_BYTES: a larger top-level field of `data` is kept as a preview'),
  }),
  limits: Type.Object({
    max_body_bytes: Int('HOOKD_MAX_BODY_BYTES'),
    max_batch_events: Int('HOOKD_MAX_BATCH_EVENTS: most events in one POST /events/batch'),
    max_event_bytes: Int('HOOKD_MAX_EVENT_BYTES'),
    max_data_depth: Int('HOOKD_MAX_DATA_DEPTH'),
    max_future_skew_ms: Int('HOOKD_MAX_FUTURE_SKEW_MS: how far ahead an event time may lie'),
    request_timeout_ms: Int('HOOKD_REQUEST_TIMEOUT_MS'),
  }),
  derivation: Type.Object({
    backlog_max_events: Int('HOOKD_DERIVE_BACKLOG_MAX: underived events past which ingest waits for a pass'),
    delay_ms: Int('HOOKD_DERIVE_DELAY_MS'),
  }),
  sessions: Type.Object({
    stale_after_ms: Int('HOOKD_SESSION_STALE_MS: an open session this long without an event ends as stale; 0 never'),
  }),
  stream: Type.Object({
    poll_ms: Int('HOOKD_STREAM_POLL_MS'),
    heartbeat_ms: Int('HOOKD_STREAM_HEARTBEAT_MS'),
    buffer_bytes: Int('HOOKD_STREAM_BUFFER_BYTES'),
  }),
  dashboard: Type.Object({ sign_in: Type.Boolean({ description: 'a secret key is there to sign dashboard sessions' }) }),
});
