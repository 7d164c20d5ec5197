import { defineConfig } from 'vitest/config';

// The browser suite: one Chromium and one headless host (with its own dev node) per test file.
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.ts'],
    testTimeout: 180_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
    reporters: ['default'],
  },
});
