/**
 * The capture policy's settings (HOOKD_CAPTURE, HOOKD_MAX_FIELD_BYTES), kept with the rest
 * of the configuration: config.ts reads them, and the capture module
 * (src/modules/capture/capture-policy.ts) applies them, importing them from here.
 */
export type CaptureMode = 'full' | 'redacted' | 'metadata';

export interface CapturePolicy {
  mode: CaptureMode;
  /** Largest serialized UTF-8 size kept for one top-level field; larger ones become a preview. */
  maxFieldBytes: number;
}

/**
 * Smallest maxFieldBytes honored: a truncation envelope (`{"truncated":true,"bytes":N,
 * "preview":""}`) takes up to 58 bytes, and must fit for a second application to keep it.
 */
export const MIN_FIELD_BYTES = 64;
