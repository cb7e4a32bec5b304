import { describe, expect, it } from 'vitest';
import { codexFeatureFlagEdit } from './codex-feature-flag.ts';
import { textHash, type InstallRecord } from './install-record.ts';

const edit = codexFeatureFlagEdit('/home/ana/.codex/config.toml');
const recordOf = (before: string | null, written: string): InstallRecord => ({
  agent: 'codex',
  file: '/home/ana/.codex/config.toml',
  existed: before !== null,
  before,
  written: textHash(written),
  folderExisted: true,
  url: null,
});

describe('the Codex feature flag in config.toml', () => {
  it.each([
    ['a missing file', null, '[features]\ncodex_hooks = true\n'],
    ['an empty file', '', '[features]\ncodex_hooks = true\n'],
    ['a file without [features]', 'model = "o3"\n', 'model = "o3"\n\n[features]\ncodex_hooks = true\n'],
    ['a file without a final newline', 'model = "o3"', 'model = "o3"\n\n[features]\ncodex_hooks = true\n'],
    [
      'a file with [features]',
      '# mine\nmodel = "o3"\n\n[features] # flags\nweb_search = true\n\n[tui]\nx = 1\n',
      '# mine\nmodel = "o3"\n\n[features] # flags\ncodex_hooks = true\nweb_search = true\n\n[tui]\nx = 1\n',
    ],
    ['CRLF', 'a = 1\r\n[features]\r\nb = 2\r\n', 'a = 1\r\n[features]\r\ncodex_hooks = true\r\nb = 2\r\n'],
  ])('adds one line to %s', (_, current, expected) => {
    const outcome = edit.install(current, null);
    expect(outcome.text).toBe(expected);
    expect(outcome.done).toBe('turned Codex hooks on ([features] codex_hooks = true)');
  });

  it.each([
    ['hooks = false', '[features]\nhooks = false\n', true],
    ['codex_hooks = true', '[features]\ncodex_hooks = true # mine\n', false],
    ['dotted features', 'features.web_search = true\n[tui]\n', false],
    ['an inline table', 'features = { codex_hooks = false }\n', false],
  ])('leaves a file that already says something about features (%s) as it is', (_, current, warns) => {
    const outcome = edit.install(current, null);
    expect(outcome.text).toBe(current);
    expect(outcome.notes.some((n) => n.includes('off'))).toBe(warns);
  });

  it('takes its line, and the table it appended, back out of a file changed since', () => {
    for (const before of ['model = "o3"\n', '', '[features]\nweb = true\n', '[features]\n']) {
      const written = edit.install(before, null).text!;
      const changed = `# added later\n${written}`;
      expect(edit.strip(changed, recordOf(before, written)).text).toBe(`# added later\n${before}`);
    }
  });

  it('leaves the line alone without a record, or when the user changed it', () => {
    const written = edit.install('a = 1\n', null).text!;
    expect(edit.strip(written, null).text).toBe(written);
    const changed = written.replace('codex_hooks = true', 'codex_hooks = false');
    expect(edit.strip(changed, recordOf('a = 1\n', written)).text).toBe(changed);
  });
});
