import { writeFileAtomically } from './write-file-atomically.ts';
import { existsSync } from 'node:fs';
import { mkdir, readFile, realpath, rm, rmdir, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { AppError } from '../core/app-error.ts';
import { hookdHome } from '../modules/emit/emit-settings.ts';
import type { ConfigFileEdit } from '../modules/integrations/config-file-edit.ts';
import { recordedBefore, textHash, uninstallPlan, type InstallRecord } from '../modules/integrations/install-record.ts';
import { SettingsFileError } from '../modules/integrations/json-settings.ts';
import { unifiedDiff } from './install-diff.ts';
import { deleteInstallRecord, readInstallRecord, writeInstallRecord } from './install-records.ts';

export interface FileOptions {
  dryRun?: boolean;
}

interface FileState {
  edit: ConfigFileEdit;
  real: string;
  current: string | null;
  record: InstallRecord | null;
}

/** Every file read, with its record, before any is written: a file hookd will not edit stops the run with nothing changed. */
async function readStates(edits: readonly ConfigFileEdit[], home: string): Promise<FileState[]> {
  const states: FileState[] = [];
  for (const edit of edits) {
    const real = await realFile(edit.file);
    states.push({ edit, real, current: await readText(real, edit.file), record: await readInstallRecord(home, edit.agent, real) });
  }
  return states;
}

/**
 * Applies an install to each file: the new text is written atomically, keeping the
 * file's mode, after the record that lets uninstall give the file back. Every new text is
 * worked out before anything is written. Gives each file's text as install left it (or
 * would, on a dry run).
 */
export async function installFiles(edits: readonly ConfigFileEdit[], options: FileOptions): Promise<Map<string, string | null>> {
  const home = hookdHome(process.env);
  const planned = (await readStates(edits, home)).map((state) => {
    const { edit, real, current, record } = state;
    const outcome = explained(edit.file, () => edit.install(current, record));
    const next: InstallRecord | null =
      outcome.text === null
        ? null
        : {
            agent: edit.agent,
            file: real,
            ...recordedBefore(
              current,
              record,
              existsSync(dirname(real)),
              (text) => explained(edit.file, () => edit.strip(text, record)).text,
            ),
            written: textHash(outcome.text),
            url: outcome.url,
          };
    return { ...state, outcome, next };
  });
  const nothing = `nothing ${options.dryRun ? 'written' : 'changed'}`;
  for (const { edit, real, current, record, outcome, next } of planned) {
    const notes = outcome.notes.map((note) => `hookd: ${note}\n`).join('');
    if (outcome.text === null || next === null) say(options, `${outcome.unchanged} in ${edit.file}; ${nothing}`);
    else if (outcome.text === current) {
      if (!options.dryRun && !sameRecord(record, next)) await writeInstallRecord(home, next);
      say(options, `${outcome.unchanged} in ${edit.file}; ${nothing}`);
    } else if (options.dryRun) {
      process.stdout.write(unifiedDiff(current ?? '', outcome.text, current === null ? '/dev/null' : edit.file, edit.file));
      say(options, `would have ${outcome.done} in ${edit.file}; nothing written`);
    } else {
      await mkdir(dirname(real), { recursive: true });
      await writeInstallRecord(home, next);
      await writeAtomically(real, outcome.text);
      say(options, `${outcome.done} in ${edit.file}`);
    }
    process.stderr.write(notes);
  }
  return new Map(planned.map(({ edit, outcome }) => [edit.file, outcome.text]));
}

/**
 * Gives each file back: byte for byte as it was before install when it still holds
 * exactly what hookd wrote (deleted, when install created it), else with hookd's part
 * removed and everything else, the user's later edits included, kept.
 */
export async function uninstallFiles(edits: readonly ConfigFileEdit[], options: FileOptions): Promise<void> {
  const home = hookdHome(process.env);
  const planned = (await readStates(edits, home)).map((state) => ({
    ...state,
    plan: uninstallPlan(state.current, state.record),
    stripped: state.current === null ? null : explained(state.edit.file, () => state.edit.strip(state.current!, state.record)),
  }));
  const nothing = `nothing ${options.dryRun ? 'written' : 'changed'}`;
  for (const { edit, real, current, record, plan, stripped } of planned) {
    const forget = () => (options.dryRun || record === null ? undefined : deleteInstallRecord(home, edit.agent, real));
    if (plan.kind === 'missing' || current === null || stripped === null) {
      await forget();
      say(options, `no hookd hooks found in ${edit.file} (there is no such file); ${nothing}`);
      continue;
    }
    if (plan.kind === 'delete') {
      const folder = record?.folderExisted === false ? ` and its folder ${dirname(edit.file)} if empty` : '';
      if (options.dryRun) {
        process.stdout.write(unifiedDiff(current, '', edit.file, '/dev/null'));
        say(options, `would have deleted ${edit.file}${folder}, which hookd install created; nothing written`);
        continue;
      }
      await rm(real, { force: true });
      if (record?.folderExisted === false) await rmdir(dirname(real)).catch(() => {});
      await forget();
      say(options, `${stripped.done} in ${edit.file}: deleted the file${folder}, which hookd install created`);
      continue;
    }
    const after = plan.kind === 'restore' ? plan.text : stripped.text;
    const how = plan.kind === 'restore' ? '; it is back to its bytes from before install' : '';
    if (after === current) {
      await forget();
      say(options, `${stripped.unchanged} in ${edit.file}; ${nothing}`);
    } else if (options.dryRun) {
      process.stdout.write(unifiedDiff(current, after, edit.file, edit.file));
      const back = plan.kind === 'restore' ? ', giving back its bytes from before install' : '';
      say(options, `would have ${stripped.done} in ${edit.file}${back}; nothing written`);
    } else {
      await writeAtomically(real, after);
      await forget();
      say(options, `${stripped.done} in ${edit.file}${how}`);
    }
  }
}

function say(options: FileOptions, line: string): void {
  process.stdout.write(`${options.dryRun ? 'dry run: ' : ''}${line}\n`);
}

/** A file hookd will not edit is named in the error, with the promise that nothing changed. */
function explained<T>(file: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof SettingsFileError) throw new SettingsFileError(`${file}: ${error.message}; nothing was changed`);
    throw error;
  }
}

function sameRecord(a: InstallRecord | null, b: InstallRecord): boolean {
  return a !== null && JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Where the file really is: a settings file symlinked from a dotfiles repository is
 * edited where it lives, not replaced by a copy. A missing file's folder may be a link too.
 */
async function realFile(file: string): Promise<string> {
  const absolute = resolve(file);
  try {
    return await realpath(absolute);
  } catch {
    return join(await realpath(dirname(absolute)).catch(() => dirname(absolute)), basename(absolute));
  }
}

/** The file's text; null when missing. Only UTF-8: the record keeps text, which must give back the same bytes. */
async function readText(real: string, shown: string): Promise<string | null> {
  const bytes = await readFile(real).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  if (bytes === null) return null;
  const text = bytes.toString('utf8');
  if (!Buffer.from(text, 'utf8').equals(bytes))
    throw new SettingsFileError(`${shown}: not UTF-8 text, which the agent could not read either; nothing was changed`);
  return text;
}

/** Readers (an agent starting a session) see the old file or the new one, never half of one. */
export async function writeAtomically(file: string, text: string): Promise<void> {
  const mode = await stat(file).then(
    (s) => s.mode & 0o7777,
    () => undefined,
  );
  await writeFileAtomically(file, text, mode);
}

/** An option naming a project folder: creating it from a mistyped path would hide the mistake. */
export async function projectFolder(project: string): Promise<string> {
  const dir = resolve(project);
  const isDir = await stat(dir).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!isDir) throw new AppError('invalid_argument', `--project: ${dir} is not a directory`, 400);
  return dir;
}
