import { envBefore, installCreated, type InstallHistory } from './install-history.ts';
import { SettingsFileError, withKey, withoutKey, type JsonObject } from './json-settings.ts';
import { readSettingsEnv, withEnvVariable, withoutEnvVariable } from './settings-env.ts';

/**
 * What turns Claude Code's own OpenTelemetry export on and points it at hookd's OTLP
 * receiver (POST /v1/metrics and /v1/logs): its monitoring guide's variables, in the
 * settings' `env`. Protobuf is the compact encoding; the receiver takes JSON as well.
 */
export function telemetryVariables(serverUrl: string): Record<string, string> {
  return {
    CLAUDE_CODE_ENABLE_TELEMETRY: '1',
    OTEL_METRICS_EXPORTER: 'otlp',
    OTEL_LOGS_EXPORTER: 'otlp',
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
    OTEL_EXPORTER_OTLP_ENDPOINT: serverUrl,
  };
}

/** The settings key naming a program whose stdout is the export's HTTP headers, as JSON. */
export const HEADERS_HELPER_KEY = 'otelHeadersHelper';

// Variables that, set to something else, mean the user exports telemetry elsewhere already.
const EXPORT_TARGETS = ['OTEL_METRICS_EXPORTER', 'OTEL_LOGS_EXPORTER', 'OTEL_EXPORTER_OTLP_ENDPOINT'];

/**
 * Sets the export on, and the headers helper (`hookd otel-headers`, which prints the token
 * from HOOKD_TOKEN or $HOOKD_HOME/token at the moment Claude Code asks: none is written into
 * the file). Refuses to take over an export the user points elsewhere.
 */
export function withTelemetry(settings: JsonObject, serverUrl: string, headersHelper: string, history: InstallHistory): JsonObject {
  const env = readSettingsEnv(settings) ?? {};
  const ours = telemetryVariables(serverUrl);
  for (const name of EXPORT_TARGETS) {
    const value = env[name];
    const wroteIt = history.url !== null && value === telemetryVariables(history.url)[name];
    if (value !== undefined && value !== ours[name] && !wroteIt)
      throw new SettingsFileError(
        `"env.${name}" is ${JSON.stringify(value)}: Claude Code already exports telemetry elsewhere, and --telemetry would take it over; point it at hookd yourself or remove it first`,
      );
  }
  const helper = settings[HEADERS_HELPER_KEY];
  if (helper !== undefined && helper !== headersHelper && !isHookdHeadersHelper(helper))
    throw new SettingsFileError(`"${HEADERS_HELPER_KEY}" is set to a program of your own: --telemetry would replace it; remove it first`);
  let result = settings;
  for (const [name, value] of Object.entries(ours)) result = withEnvVariable(result, name, value);
  return withKey(result, HEADERS_HELPER_KEY, headersHelper);
}

/**
 * Takes back what withTelemetry wrote, while it still holds what install wrote: a variable
 * the user had before keeps (or gets back) their value; `env` goes only when install
 * created it and nothing else is left.
 */
export function withoutTelemetry(settings: JsonObject, history: InstallHistory): JsonObject {
  let result = settings;
  const helper = result[HEADERS_HELPER_KEY];
  if (isHookdHeadersHelper(helper) && !Object.hasOwn(history.before ?? {}, HEADERS_HELPER_KEY))
    result = withoutKey(result, HEADERS_HELPER_KEY);
  if (history.url === null) return result;
  for (const [name, value] of Object.entries(telemetryVariables(history.url))) {
    if (readSettingsEnv(result)?.[name] !== value) continue;
    const own = envBefore(history, name);
    if (own === value) continue;
    result =
      own !== undefined ? withEnvVariable(result, name, own) : withoutEnvVariable(result, name, value, installCreated(history, 'env'));
  }
  return result;
}

const HEADERS_HELPER = /\/dist\/cli\/main\.js'?\s+otel-headers\s*$/;

export function isHookdHeadersHelper(value: unknown): boolean {
  return typeof value === 'string' && HEADERS_HELPER.test(value);
}
