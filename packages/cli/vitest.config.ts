import { defineConfig } from "vitest/config";
import { sharedTestConfig } from "../../vitest.shared.js";

// These tests drive whole workflows (dozens of sandboxed test runs each); on a loaded 2-core machine one
// can take minutes, so the per-test limit is a hang guard, not a speed check.
export default defineConfig({ test: { ...sharedTestConfig, testTimeout: 300_000 } });
