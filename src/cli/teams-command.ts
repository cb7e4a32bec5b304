import { readFileSync } from 'node:fs';
import { ValidationError } from '../core/app-error.ts';
import { writeAudit } from '../core/audit-log.ts';
import type { TeamService, TeamSummary, TeamView } from '../modules/teams/team-service.ts';
import { CLI_PRINCIPAL } from '../modules/tokens/token-service.ts';
import type { GlobalOptions } from './cli-config.ts';
import { withServices } from './cli-services.ts';
import { printJson, printTable, shortTime, type Column } from './output.ts';

const COLUMNS: Column<TeamSummary>[] = [
  { header: 'team', value: (t) => t.team_id },
  { header: 'name', value: (t) => t.team_name ?? '' },
  { header: 'enabled', value: (t) => (t.enabled ? 'yes' : 'no') },
  { header: 'revision', value: (t) => String(t.revision), right: true },
  { header: 'rules', value: (t) => (t.enabled_rules === t.rules ? String(t.rules) : `${t.enabled_rules}/${t.rules}`), right: true },
  { header: 'updated', value: (t) => shortTime(t.updated_at) },
];

// One-shot reads and writes: the storage without the server's SQLite threads.
async function withTeams(
  globals: GlobalOptions,
  run: (teams: TeamService, audit: (action: string, teamId: string) => void) => Promise<void>,
  creates = false,
): Promise<void> {
  // Saving a configuration may start a database; reading one never does. A change writes
  // its `audit` line as the HTTP route does, to stderr.
  await withServices(
    globals,
    'team configurations',
    ({ teams, log }) =>
      run(teams, (action, teamId) => writeAudit(log, { actor: CLI_PRINCIPAL.actor, action, target: teamId, team: teamId, session: null })),
    creates,
  );
}

/** `hookd teams list` */
export async function teamsListCommand(globals: GlobalOptions, options: { json?: boolean }): Promise<void> {
  await withTeams(globals, async (teams) => {
    const list = await teams.list({});
    if (options.json) return printJson(list);
    if (list.items.length === 0) process.stdout.write('no team has a saved configuration; every team uses the default\n');
    else printTable(COLUMNS, list.items);
  });
}

/** `hookd teams get T`: the configuration as JSON, ready to edit and save with `teams set`. */
export async function teamsGetCommand(globals: GlobalOptions, teamId: string, options: { json?: boolean }): Promise<void> {
  await withTeams(globals, async (teams) => {
    const team = await teams.get(teamId, {});
    if (options.json) return printJson(team);
    process.stderr.write(describe(team));
    process.stdout.write(`${JSON.stringify(team.configuration, null, 2)}\n`);
  });
}

export interface TeamsSetOptions {
  file?: string;
  revision?: number;
  disabled?: boolean;
}

/** `hookd teams set T [--file F] [--revision N]`: the configuration from a file or stdin. */
export async function teamsSetCommand(globals: GlobalOptions, teamId: string, options: TeamsSetOptions): Promise<void> {
  const text = !options.file || options.file === '-' ? readFileSync(0, 'utf8') : readFileSync(options.file, 'utf8');
  let configuration: unknown;
  try {
    configuration = JSON.parse(text);
  } catch (error) {
    throw new ValidationError([{ field: options.file ?? '(stdin)', message: `is not JSON: ${(error as Error).message}` }]);
  }
  await withTeams(
    globals,
    async (teams, audit) => {
      const input = {
        configuration,
        ...(options.revision === undefined ? {} : { revision: options.revision }),
        ...(options.disabled ? { enabled: false } : {}),
      };
      const saved = await teams.save(teamId, input, {});
      audit('team.configure', teamId);
      process.stdout.write(`saved ${describe(saved)}`);
      // Saved all the same: the channel may be added next.
      for (const warning of saved.warnings) process.stderr.write(`warning: ${warning.field}: ${warning.message}\n`);
    },
    true,
  );
}

/** `hookd teams enable|disable T` */
export async function teamsEnableCommand(
  globals: GlobalOptions,
  teamId: string,
  enabled: boolean,
  options: { revision?: number },
): Promise<void> {
  await withTeams(globals, async (teams, audit) => {
    const saved = await teams.setEnabled(teamId, enabled, options.revision, {});
    audit(`team.${enabled ? 'enable' : 'disable'}`, teamId);
    process.stdout.write(describe(saved));
  });
}

function describe(team: TeamView): string {
  const rules = team.configuration.rules ?? [];
  const state = team.is_default ? 'default configuration (none saved)' : `revision ${team.revision}`;
  return `team ${team.team_id}: ${state}, ${team.enabled ? 'enabled' : 'disabled'}, ${rules.length} rule${rules.length === 1 ? '' : 's'}\n`;
}
