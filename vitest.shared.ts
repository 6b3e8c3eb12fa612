// Test settings every package shares: coverage over src/ with an 85 % line floor, enforced per package.
import type { ViteUserConfig } from "vitest/config";

type TestConfig = NonNullable<ViteUserConfig["test"]>;

export const sharedTestConfig: TestConfig = {
  include: ["test/**/*.test.ts"],
  testTimeout: 30_000,
  coverage: {
    provider: "v8",
    include: ["src/**/*.ts"],
    reporter: ["text-summary"],
    thresholds: { lines: 85 },
  },
};
