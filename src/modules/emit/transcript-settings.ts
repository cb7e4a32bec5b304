/** What the transcript reader reads from the environment, HOOKD_ names only (as emit-settings.ts). */
export interface TranscriptSettings {
  /** HOOKD_TRANSCRIPT_MAX_BYTES: the most one run reads; the next Stop goes on from there. */
  maxBytes: number;
  /** HOOKD_TRANSCRIPT_MAX_MS: how long one run may read; the next Stop goes on from there. */
  maxMs: number;
  /** Settings that were ignored, for the log. */
  problems: string[];
}

export const DEFAULT_TRANSCRIPT_MAX_BYTES = 8 * 1024 * 1024;
export const DEFAULT_TRANSCRIPT_MAX_MS = 5000;

/** HOOKD_TRANSCRIPT_USAGE: `off` keeps emit from reading transcripts; anything else leaves it on. */
export function transcriptUsageEnabled(env: NodeJS.ProcessEnv): boolean {
  return env.HOOKD_TRANSCRIPT_USAGE?.trim().toLowerCase() !== 'off';
}

export function transcriptSettings(env: NodeJS.ProcessEnv): TranscriptSettings {
  const problems: string[] = [];
  const maxBytes = wholeNumber(env, 'HOOKD_TRANSCRIPT_MAX_BYTES', DEFAULT_TRANSCRIPT_MAX_BYTES, 4096, 1024 ** 3, problems);
  const maxMs = wholeNumber(env, 'HOOKD_TRANSCRIPT_MAX_MS', DEFAULT_TRANSCRIPT_MAX_MS, 1, 600_000, problems);
  return { maxBytes, maxMs, problems };
}

function wholeNumber(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number, problems: string[]): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (Number.isInteger(value) && value >= min && value <= max) return value;
  problems.push(`${name} must be a whole number from ${min} to ${max} (got "${raw.slice(0, 100)}"); using ${fallback}`);
  return fallback;
}
