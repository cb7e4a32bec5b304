/**
 * A reply of hookd other than 2xx. `code`, `message` and `details` are those of the
 * JSON error body (`{"error": {"code", "message", "details"?}}`, docs/security.md "Bad input"),
 * e.g. 404 `session_not_found` or 400 `validation_failed` with `details.problems`. A
 * body that is not such JSON (a proxy's HTML page) gives code `http_error` and the
 * start of the body in `details.body`.
 */
export class HookdApiError extends Error {
  /** The HTTP status. */
  readonly status: number;
  /** hookd's error code, e.g. `session_not_found`, `validation_failed`, `insufficient_scope`. */
  readonly code: string;
  /** What the error body carried beside code and message, if anything. */
  readonly details: unknown;

  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message);
    this.name = 'HookdApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }

  /** The error a reply of `status` with body `text` stands for; `request` (e.g. `GET /analytics/tools`) names it when the body does not. */
  static fromResponse(status: number, statusText: string, text: string, request: string): HookdApiError {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    const error = (body as { error?: unknown } | undefined)?.error as { code?: unknown; message?: unknown; details?: unknown } | undefined;
    if (error && typeof error.code === 'string' && typeof error.message === 'string') {
      return new HookdApiError(status, error.code, error.message, error.details);
    }
    const reason = statusText ? `${status} ${statusText}` : String(status);
    return new HookdApiError(status, 'http_error', `${request}: HTTP ${reason}`, { body: text.slice(0, 500) });
  }
}
