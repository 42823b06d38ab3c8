import { defineConfig } from 'vitest/config';

// Unit tests: the client's protocol logic, no DOM and no server.
export default defineConfig({
  test: { include: ['src/**/*.test.ts'], environment: 'node' },
});
