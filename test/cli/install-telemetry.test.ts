// `hookd install claude-code --telemetry`: Claude Code's own OpenTelemetry export pointed at
// hookd, no token in the file, and everything taken back by uninstall.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runHookd } from './cli-harness.ts';

let home: string;
let hookdHome: string;
let file: string;
const hookd = (args: string[], env: Record<string, string> = {}) =>
  runHookd(args, { HOME: home, HOOKD_HOME: hookdHome, CI: 'true', ...env });
const settings = () => JSON.parse(readFileSync(file, 'utf8')) as Record<string, any>;

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'hookd-telemetry-'));
  hookdHome = join(home, 'hookd-home');
  file = join(home, '.claude', 'settings.json');
  mkdirSync(join(home, '.claude'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

describe('hookd install claude-code --telemetry', () => {
  it('turns the export on towards the server, with a headers helper instead of a token, and uninstall takes it back', async () => {
    const before = '{\n    "env": {\n        "FOO": "bar"\n    }\n}\n';
    writeFileSync(file, before);
    const res = await hookd(['install', 'claude-code', '--url', 'http://127.0.0.1:8080', '--telemetry'], { HOOKD_TOKEN: 'hookd_secret_1' });
    expect(res.code, res.stderr).toBe(0);
    const s = settings();
    expect(s.env).toEqual({
      FOO: 'bar',
      CLAUDE_CODE_ENABLE_TELEMETRY: '1',
      OTEL_METRICS_EXPORTER: 'otlp',
      OTEL_LOGS_EXPORTER: 'otlp',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:8080',
      HOOKD_URL: 'http://127.0.0.1:8080',
    });
    expect(s.otelHeadersHelper).toMatch(/\/dist\/cli\/main\.js' otel-headers$/);
    expect(readFileSync(file, 'utf8')).not.toContain('hookd_secret');

    // Installing again without --telemetry takes the export back out, keeping the hooks.
    expect((await hookd(['install', 'claude-code', '--url', 'http://127.0.0.1:8080'])).code).toBe(0);
    expect(settings().env).toEqual({ FOO: 'bar', HOOKD_URL: 'http://127.0.0.1:8080' });
    expect(settings().otelHeadersHelper).toBeUndefined();

    expect((await hookd(['install', 'claude-code', '--url', 'http://127.0.0.1:8080', '--telemetry'])).code).toBe(0);
    expect((await hookd(['uninstall', 'claude-code'])).code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('takes back only what it wrote when the file was edited since', async () => {
    expect((await hookd(['install', 'claude-code', '--url', 'http://127.0.0.1:8080', '--telemetry'])).code).toBe(0);
    const edited: Record<string, any> = { ...settings(), model: 'opus' };
    edited.env.OTEL_LOGS_EXPORTER = 'console';
    writeFileSync(file, `${JSON.stringify(edited, null, 2)}\n`);
    expect((await hookd(['uninstall', 'claude-code'])).code).toBe(0);
    // The user's own change of a variable install wrote is theirs now: it stays.
    expect(settings()).toEqual({ model: 'opus', env: { OTEL_LOGS_EXPORTER: 'console' } });
  });

  it('refuses to take over an export pointed elsewhere, and needs a server', async () => {
    const own = '{"env": {"OTEL_EXPORTER_OTLP_ENDPOINT": "https://collector.example"}}\n';
    writeFileSync(file, own);
    const res = await hookd(['install', 'claude-code', '--url', 'http://127.0.0.1:8080', '--telemetry']);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(
      '"env.OTEL_EXPORTER_OTLP_ENDPOINT" is "https://collector.example": Claude Code already exports telemetry elsewhere',
    );
    expect(readFileSync(file, 'utf8')).toBe(own);
    const noServer = await hookd(['install', 'claude-code', '--telemetry']);
    expect(noServer.stderr).toContain("--telemetry: give the server's address with --url (or --http)");
  });
});

describe('hookd otel-headers', () => {
  it('prints the token from the environment or the token file, never more', async () => {
    expect((await hookd(['otel-headers'], { HOOKD_TOKEN: 'hookd_abc' })).stdout).toBe('{"Authorization":"Bearer hookd_abc"}\n');
    expect((await hookd(['otel-headers'])).stdout).toBe('{}\n');
    mkdirSync(hookdHome);
    writeFileSync(join(hookdHome, 'token'), 'hookd_from_file\n', { mode: 0o600 });
    expect((await hookd(['otel-headers'])).stdout).toBe('{"Authorization":"Bearer hookd_from_file"}\n');
  });
});
