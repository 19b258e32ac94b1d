import { defineConfig } from 'vitest/config';

// Two projects; scripts/dev/split-tests.ts puts each test file in one by a rule (test/unit/test-layout.test.ts checks
// it). `npx vitest run --project unit` is the quick loop; `npm test` runs both.
// The projects do not `extends: true`: that would run the root's globalSetup once more per project.
const shared = { testTimeout: 60_000, pool: 'forks' } as const;

export default defineConfig({
  test: {
    // Each run gets its own TMPDIR and fails if a test leaves anything in it.
    globalSetup: ['test/helpers/temp-check.ts'],
    projects: [
      { test: { ...shared, name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      { test: { ...shared, name: 'e2e', include: ['test/e2e/**/*.test.ts'] } },
    ],
  },
});
