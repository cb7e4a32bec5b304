import { describe, expect, it } from 'vitest';
import {
  installRecordName,
  parseInstallRecord,
  recordedBefore,
  serializeInstallRecord,
  textHash,
  uninstallPlan,
  type InstallRecord,
} from './install-record.ts';

const BEFORE = '{\n    "model": "opus"\n}';
const WRITTEN = '{\n    "model": "opus",\n    "hooks": {}\n}';
const record: InstallRecord = {
  agent: 'claude-code',
  file: '/home/ana/.claude/settings.json',
  existed: true,
  before: BEFORE,
  written: textHash(WRITTEN),
  folderExisted: true,
  url: null,
};
const strip = (text: string) => `stripped: ${text}`;

describe('install records', () => {
  it('names one record per agent and file, and reads back what it wrote', () => {
    expect(installRecordName('codex', '/a/hooks.json')).toMatch(/^codex-[0-9a-f]{16}\.json$/);
    expect(installRecordName('codex', '/a/hooks.json')).not.toBe(installRecordName('codex', '/b/hooks.json'));
    expect(parseInstallRecord(serializeInstallRecord(record))).toEqual(record);
    const missing = { ...record, existed: false, before: null, folderExisted: false, url: 'http://h' };
    expect(parseInstallRecord(serializeInstallRecord(missing))).toEqual(missing);
  });

  it.each([
    ['not JSON', 'nope'],
    ['a bad hash', JSON.stringify({ ...record, written: 'abc' })],
    ['a file that existed without its text', JSON.stringify({ ...record, before: null })],
    ['a missing field', JSON.stringify({ ...record, folderExisted: undefined })],
  ])('treats a record with %s as none', (_, text) => {
    expect(parseInstallRecord(text)).toBeNull();
  });

  it("keeps the original text on a re-install over hookd's own output, and takes the stripped text over a changed file", () => {
    expect(recordedBefore(WRITTEN, record, true, strip)).toEqual({ existed: true, before: BEFORE, folderExisted: true });
    expect(recordedBefore(`${WRITTEN} `, record, true, strip)).toEqual({
      existed: true,
      before: `stripped: ${WRITTEN} `,
      folderExisted: true,
    });
    expect(recordedBefore(WRITTEN, null, true, strip)).toEqual({ existed: true, before: `stripped: ${WRITTEN}`, folderExisted: true });
    expect(recordedBefore(null, record, false, strip)).toEqual({ existed: false, before: null, folderExisted: false });
  });

  it("restores or deletes only hookd's own unchanged output", () => {
    expect(uninstallPlan(WRITTEN, record)).toEqual({ kind: 'restore', text: BEFORE });
    expect(uninstallPlan(WRITTEN, { ...record, existed: false, before: null })).toEqual({ kind: 'delete' });
    expect(uninstallPlan(`${WRITTEN}\n`, record)).toEqual({ kind: 'strip' });
    expect(uninstallPlan(WRITTEN, null)).toEqual({ kind: 'strip' });
    expect(uninstallPlan(null, record)).toEqual({ kind: 'missing' });
  });
});
