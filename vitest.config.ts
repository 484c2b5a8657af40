import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

// Workspace packages resolve to their TypeScript source through the `source`
// export condition, so tests run on src/ without a TypeScript build (the
// addon itself must be built: `npm install` does that). Tests run in Vite's
// server (SSR) environment, so the condition goes in `ssr.resolve`; a plain
// `resolve.conditions` does not reach them.
const conditions = ['source', ...defaultServerConditions];

export default defineConfig({
  ssr: { resolve: { conditions } },
  test: {
    include: [
      'packages/*/test/**/*.test.ts',
      'packages/*/src/**/*.test.ts',
      'examples/**/*.test.ts',
    ],
    exclude: ['**/node_modules/**', '**/dist/**'],
    environment: 'node',
    // Each test file in its own child process: fd counts, signal handlers
    // and the addon's per-environment state never leak between files.
    pool: 'forks',
    isolate: true,
    // Files run two at a time (the machines have two cores); the tests
    // inside one file run one after another.
    fileParallelism: true,
    maxWorkers: 2,
    sequence: { concurrent: false },
    testTimeout: 20_000,
    hookTimeout: 20_000,
    teardownTimeout: 10_000,
  },
});
