import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

it('the dashboard takes only types from the server, and the server nothing from the dashboard', () => {
  const problems: string[] = [];
  for (const file of files(join(ROOT, 'web/src'))) {
    for (const match of readFileSync(file, 'utf8').matchAll(/^import\s+(type\s+)?[^;]*?from\s+'([^']+)'/gms)) {
      if (match[2]!.includes('/src/') && !match[1]) problems.push(`${relative(ROOT, file)} imports code from ${match[2]}`);
    }
  }
  for (const file of files(join(ROOT, 'src'))) {
    if (/from\s+'[^']*\/web\//.test(readFileSync(file, 'utf8'))) problems.push(`${relative(ROOT, file)} imports from web/`);
  }
  expect(problems).toEqual([]);
});
