import { readFileSync } from 'node:fs';
import { AppError, ValidationError } from '../core/app-error.ts';
import { writeAudit } from '../core/audit-log.ts';
import { INSTALLATION_TEAM } from '../modules/automation/team-rules.ts';
import type { ChannelKind } from '../modules/channels/channel-kind.ts';
import type { ChannelTestResult, ChannelView } from '../modules/channels/channel-service.ts';
import type { Rule } from '../modules/rules/rule.ts';
import { CLI_PRINCIPAL } from '../modules/tokens/token-service.ts';
import type { GlobalOptions } from './cli-config.ts';
import { withServices } from './cli-services.ts';
import { parsePresetKinds, parseQuietHours, PRESET_RULE_PREFIX, presetRules, type PresetKind } from './notify-preset.ts';
import { printJson } from './output.ts';
import { probeServer, type ServerState } from './server-probe.ts';

export interface NotifySetupOptions {
  slack?: string;
  discord?: string;
  email?: string;
  ntfy?: string;
  /** The email password or the ntfy token; - reads it from stdin. */
  secret?: string;
  on: string;
  channel?: string;
  digestMinutes?: string;
  quiet?: string;
  timeZone?: string;
  test: boolean;
  url?: string;
  json?: boolean;
}

interface SetupReport {
  channel: ChannelView;
  created: boolean;
  kinds: PresetKind[];
  team: string;
  test: ChannelTestResult | null;
  server: ServerState;
}

const KINDS = ['slack', 'discord', 'email', 'ntfy'] as const satisfies readonly ChannelKind[];
const orStdin = (value: string | undefined) => (value === '-' ? readFileSync(0, 'utf8').trim() : value);

/**
 * `hookd notify setup --slack URL --on permission,input,stop`: one person's notifications
 * in one command. Adds (or updates) the installation's channel, writes the preset rules
 * into the installation team (whose rules run on every event), sends a test message, and
 * says whether a server is running to deliver what comes.
 */
export async function notifySetupCommand(globals: GlobalOptions, options: NotifySetupOptions): Promise<void> {
  const given = KINDS.filter((k) => options[k] !== undefined);
  if (given.length !== 1) throw new ValidationError([{ field: 'channel', message: 'give one of --slack, --discord, --email or --ntfy' }]);
  const kind = given[0]!;
  const { kinds, unknown } = parsePresetKinds(options.on);
  if (unknown.length > 0 || kinds.length === 0)
    throw new ValidationError([
      { field: 'on', message: `expected some of permission, input, stop, session_end, failure; got ${unknown.join(', ') || 'none'}` },
    ]);
  const quiet = options.quiet === undefined ? undefined : parseQuietHours(options.quiet);
  if (quiet === null) throw new ValidationError([{ field: 'quiet', message: 'expected HH:MM-HH:MM, e.g. 22:00-08:00' }]);
  const digestMinutes = options.digestMinutes === undefined ? 0 : Number(options.digestMinutes);
  if (!Number.isFinite(digestMinutes) || digestMinutes < 0 || digestMinutes > 1440)
    throw new ValidationError([{ field: 'digest-minutes', message: 'expected minutes from 0 (off) to 1440' }]);
  if (options.url === '-' && options.secret === '-')
    throw new AppError('invalid_argument', 'only one of the URL and --secret can come from stdin', 400);
  const url = orStdin(options[kind])!;
  const secret = orStdin(options.secret);
  const channelId = options.channel ?? `notify-${kind}`;

  let report: SetupReport | undefined;
  await withServices(
    globals,
    'notification setup',
    async ({ channels, teams, log }) => {
      const existing = (await channels.list(CLI_PRINCIPAL)).items.find((c) => c.channel_id === channelId);
      if (existing && existing.kind !== kind)
        throw new ValidationError([
          { field: 'channel', message: `channel "${channelId}" exists as ${existing.kind}; name another with --channel` },
        ]);
      const channel = existing
        ? await channels.update(channelId, { url, ...(secret !== undefined ? { secret } : {}) }, CLI_PRINCIPAL)
        : await channels.create(
            { channel_id: channelId, kind, url, name: 'My notifications', ...(secret !== undefined ? { secret } : {}) },
            CLI_PRINCIPAL,
          );
      const current = await teams.get(INSTALLATION_TEAM);
      const others = (current.configuration.rules ?? []).filter((r: Rule) => !r.rule_id.startsWith(PRESET_RULE_PREFIX));
      const preferences = current.configuration.notification_preferences;
      await teams.save(INSTALLATION_TEAM, {
        configuration: {
          ...current.configuration,
          team_name: current.configuration.team_name ?? 'Every event (installation)',
          notification_preferences: {
            ...preferences,
            batch_timeout_minutes:
              options.digestMinutes === undefined && !current.is_default ? preferences.batch_timeout_minutes : digestMinutes,
            quiet_hours: quiet ? { enabled: true, ...quiet, time_zone: options.timeZone ?? localTimeZone() } : preferences.quiet_hours,
          },
          rules: [...others, ...presetRules(kinds, channelId)],
        },
        enabled: true,
      });
      writeAudit(log, {
        actor: CLI_PRINCIPAL.actor,
        action: 'team.configure',
        target: INSTALLATION_TEAM,
        team: INSTALLATION_TEAM,
        session: null,
      });
      const test = options.test ? await channels.test(channelId, CLI_PRINCIPAL) : null;
      report = { channel, created: !existing, kinds, team: INSTALLATION_TEAM, test, server: await probeServer(globals, options.url) };
    },
    true,
  );
  const r = report!;
  if (options.json) return printJson(r);
  const out = (line: string) => process.stdout.write(`${line}\n`);
  out(`${r.created ? 'added' : 'updated'} ${r.channel.kind} channel ${r.channel.channel_id} (${r.channel.url})`);
  out(
    `notifying on: ${r.kinds.join(', ')} (rules ${r.kinds.map((k) => `${PRESET_RULE_PREFIX}${k}`).join(', ')} of team "${r.team}", which run on every event)`,
  );
  if (r.test) {
    out(
      r.test.delivered
        ? `test message delivered (${r.test.status_code ?? ''} in ${r.test.latency_ms} ms)`
        : `test message NOT delivered: ${r.test.reason}`,
    );
  }
  if (r.server.answers) out(`a hookd server answers at ${r.server.url}: it delivers what comes`);
  else {
    out(`no hookd server answers at ${r.server.url || 'the configured address'} (${r.server.error ?? 'no answer'}):`);
    out('nothing is delivered until one runs; keep one running with `hookd service install`, or run `hookd serve`');
  }
  if (r.test && !r.test.delivered) process.exitCode = 1;
}

function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}
