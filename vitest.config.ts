import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // No test reaches beyond loopback: live look-ups are off unless a test turns them on against
    // the servers it starts (src/live/test-support). Commands a test spawns inherit this.
    env: { WARREN_LIVE: 'off' },
    // expect.poll waits for a page or a process to get there; on 2 shared cores (CI) a browser's
    // debounced lint round trip can take longer than the default second. A poll that succeeds
    // returns at once, so a longer bound costs nothing when all is well.
    expect: { poll: { timeout: 10_000 } },
  },
});
