import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // No test reaches beyond loopback: live look-ups are off unless a test turns them on against
    // the servers it starts (src/live/test-support). Commands a test spawns inherit this.
    env: { WARREN_LIVE: 'off' },
  },
});
