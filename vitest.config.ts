import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{shared,native,sim,edge-agent,cloud-hub,cli}/{src,lib}/**/*.test.ts', 'test/**/*.test.ts'],
    // A temporary root per run (TMPDIR), removed at its end: scratch directories never pile up in /tmp.
    globalSetup: ['test/support/temp-root.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Two cores: the native build and PGlite are heavy; keep parallelism modest.
    maxWorkers: 2,
  },
});
