import { writeFileAtomically } from './write-file-atomically.ts';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  installRecordName,
  parseInstallRecord,
  serializeInstallRecord,
  type InstallRecord,
} from '../modules/integrations/install-record.ts';

// The records of install-record.ts on disk: $HOOKD_HOME/installs/<agent>-<hash>.json.
// A record holds a copy of the user's settings, which may hold API keys under `env`:
// the folder is the owner's alone (0700), and so is every record (0600).

export function installsFolder(home: string): string {
  return join(home, 'installs');
}

export async function readInstallRecord(home: string, agent: string, realPath: string): Promise<InstallRecord | null> {
  const text = await readFile(recordPath(home, agent, realPath), 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  if (text === null) return null;
  const record = parseInstallRecord(text);
  // The name is a hash of the path: a record for another file, or another agent's, is none.
  return record !== null && record.file === realPath && record.agent === agent ? record : null;
}

export async function writeInstallRecord(home: string, record: InstallRecord): Promise<void> {
  const folder = installsFolder(home);
  await mkdir(folder, { recursive: true, mode: 0o700 });
  const path = recordPath(home, record.agent, record.file);
  await writeFileAtomically(path, serializeInstallRecord(record), 0o600);
}

export async function deleteInstallRecord(home: string, agent: string, realPath: string): Promise<void> {
  await rm(recordPath(home, agent, realPath), { force: true });
}

function recordPath(home: string, agent: string, realPath: string): string {
  return join(installsFolder(home), installRecordName(agent, realPath));
}
