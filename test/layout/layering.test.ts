import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const DEPCRUISE = join(ROOT, 'node_modules/.bin/depcruise');
const run = promisify(execFile);

/** depcruise over `src` of `cwd` with the project's rules; never rejects, the exit code is asserted. */
async function cruise(cwd: string): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await run(DEPCRUISE, ['src', '--config', join(ROOT, '.dependency-cruiser.cjs'), '--output-type', 'err'], {
      cwd,
    });
    return { code: 0, out: stdout + stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

describe('the dependency rules', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('hold for the whole tree', async () => {
    const { code, out } = await cruise(ROOT);
    expect(out).toMatch(/no dependency violations found/);
    expect(code).toBe(0);
  });

  it('fail on a new upward import or a cycle, naming the rule', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hookd-layers-'));
    dirs.push(dir);
    for (const folder of ['src/db', 'src/modules/sessions', 'src/modules/automation', 'src/modules/things', 'src/runtime']) {
      mkdirSync(join(dir, folder), { recursive: true });
    }
    copyFileSync(join(ROOT, 'tsconfig.json'), join(dir, 'tsconfig.json'));
    writeFileSync(join(dir, 'src/modules/sessions/session.ts'), "import { open } from '../../db/pool.ts';\nexport const session = open;\n");
    writeFileSync(
      join(dir, 'src/db/pool.ts'),
      "import { session } from '../modules/sessions/session.ts';\nexport const open = () => session;\n",
    );
    writeFileSync(
      join(dir, 'src/modules/sessions/session-routes.ts'),
      "import { services } from '../../runtime/services.ts';\nimport { runner } from '../automation/runner.ts';\nexport const routes = [services, runner];\n",
    );
    writeFileSync(join(dir, 'src/modules/automation/runner.ts'), 'export const runner = {};\n');
    writeFileSync(
      join(dir, 'src/modules/things/thing.ts'),
      "import { runner } from '../automation/runner.ts';\nexport const thing = runner;\n",
    );
    writeFileSync(join(dir, 'src/runtime/services.ts'), 'export const services = {};\n');
    mkdirSync(join(dir, 'src/helpers'));
    writeFileSync(join(dir, 'src/helpers/misc.ts'), "import { services } from '../runtime/services.ts';\nexport const misc = services;\n");
    const { code, out } = await cruise(dir);
    expect(code).not.toBe(0);
    expect(out).toMatch(/error db-is-a-foundation: src\/db\/pool\.ts → src\/modules\/sessions\/session\.ts/);
    expect(out).toMatch(/error no-circular: src\/(db|modules)/);
    expect(out).toMatch(/error routes-not-composition-root: src\/modules\/sessions\/session-routes\.ts → src\/runtime\/services\.ts/);
    expect(out).toMatch(/error modules-not-up: src\/modules\/sessions\/session-routes\.ts/);
    expect(out).toMatch(/error module-order-sessions: src\/modules\/sessions\/session-routes\.ts → src\/modules\/automation\/runner\.ts/);
    expect(out).toMatch(/error module-in-order: src\/modules\/things\/thing\.ts/);
    expect(out).toMatch(/error no-unknown-folder: src\/helpers\/misc\.ts/);
  });
});
