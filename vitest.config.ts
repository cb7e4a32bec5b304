import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'web/src/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration files each get their own database, so files can run in parallel;
    // two workers match the two cores CI has.
    pool: 'forks',
    maxWorkers: 2,
    // V8's JIT write protection with memory protection keys (on CPUs with PKU, as CI's AMD
    // EPYC) has a race that aborts the process ("Check failed: jit_page.has_value()",
    // crbug 360909072) when worker threads come and go, as the SQLite write thread does
    // in every test runtime: two of three full runs here lost a worker to it.
    execArgv: ['--no-memory-protection-keys'],
  },
});
