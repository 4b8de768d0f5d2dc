import { defineConfig } from 'vitest/config';

// Tests sit next to the code they test (`*.test.ts`); services they need are real.
export default defineConfig({
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'apps/*/src/**/*.test.ts',
      'test/**/*.test.ts',
      'apps/*/e2e/**/*.test.ts',
    ],
    // The fault-injection trials run on their own: `npm run test:chaos`.
    exclude: ['**/node_modules/**', 'test/chaos/**'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Builds the web client when its sources changed, for the end-to-end tests (apps/store-web/e2e).
    globalSetup: ['apps/store-web/e2e/global-setup.ts'],
  },
});
