import { describe, expect, it, vi } from "vitest";
import { createJsonLogger, silentLogger } from "../src/logger.js";
import { createRedactor } from "../src/redaction.js";

const clock = { now: () => Date.UTC(2025, 0, 2, 3, 4, 5, 678) };

function capture(opts: Parameters<typeof createJsonLogger>[0] = {}) {
  const lines: string[] = [];
  const logger = createJsonLogger({ sink: (line) => lines.push(line), clock, redactor: createRedactor({ env: {} }), ...opts });
  return { logger, lines, records: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe("createJsonLogger", () => {
  it("writes one JSON line per record with time, level, msg and fields in that order", () => {
    const { logger, lines } = capture();
    logger.info("task started", { taskId: "t1", attempt: 2 });
    expect(lines).toEqual(['{"time":"2025-01-02T03:04:05.678Z","level":"info","msg":"task started","taskId":"t1","attempt":2}']);
  });

  it("drops records below the level and defaults to info", () => {
    const { logger, records } = capture();
    logger.debug("hidden");
    logger.info("i");
    logger.warn("w");
    logger.error("e");
    expect(records().map((r) => r.level)).toEqual(["info", "warn", "error"]);
    const debug = capture({ level: "debug" });
    debug.logger.debug("shown");
    expect(debug.records()).toHaveLength(1);
    const error = capture({ level: "error" });
    error.logger.warn("hidden");
    expect(error.records()).toHaveLength(0);
    expect(() => createJsonLogger({ level: "loud" as "info" })).toThrow(/unknown level "loud"/);
  });

  it("adds base and child fields; record fields win, reserved keys cannot be overwritten", () => {
    const { logger, records } = capture({ base: { service: "orchestrator" } });
    const child = logger.child({ runId: "r1", taskId: "parent" });
    child.child({ agent: "codegen" }).warn("slow", { taskId: "t2", level: "nope", msg: "nope", time: 0 });
    expect(records()).toEqual([
      { time: "2025-01-02T03:04:05.678Z", level: "warn", msg: "slow", service: "orchestrator", runId: "r1", taskId: "t2", agent: "codegen" },
    ]);
  });

  it("redacts secrets in the message and in nested fields before writing", () => {
    const { logger, lines } = capture({ redactor: createRedactor({ env: { VLTAIR_REDACT_FIELDS: "test_result.log" }, prefixes: ["corp_"] }) });
    logger.error("auth failed with Bearer 8f3kQ2mZpL0vX9sT4wR7yB1nC6", {
      request: { headers: { authorization: "Bearer 8f3kQ2mZpL0vX9sT4wR7yB1nC6" }, url: "https://bot:hunter2pw@api.example.com" },
      artifacts: [{ kind: "test_result", log: "stdout with anything" }],
      note: "corp_internal_42",
    });
    const line = lines[0] as string;
    for (const secret of ["8f3kQ2mZpL0vX9sT4wR7yB1nC6", "hunter2pw", "stdout with anything", "corp_internal_42"]) expect(line).not.toContain(secret);
    expect(line).toContain("Bearer [REDACTED:bearer-token]");
    expect(line).toContain('"log":"[REDACTED:field]"');
  });

  it("serialises Errors with name, message, stack, code and cause, redacted", () => {
    const { logger, records } = capture();
    const cause = new Error("inner");
    const err = Object.assign(new RangeError("bad key AKIAIOSFODNN7EXAMPLE", { cause }), { code: "E_BAD", retryable: false });
    logger.error("failed", { err, count: 10n });
    const rec = records()[0] as { err: Record<string, unknown>; count: string };
    expect(rec.err).toMatchObject({ name: "RangeError", message: "bad key [REDACTED:aws-access-key-id]", code: "E_BAD", retryable: false, cause: { name: "Error", message: "inner" } });
    expect(String(rec.err.stack)).toContain("RangeError: bad key [REDACTED:aws-access-key-id]");
    expect(rec.count).toBe("10");
  });

  it("survives fields that cannot be serialised and says so", () => {
    const { logger, records } = capture();
    logger.info("odd", { bad: { toJSON: () => { throw new Error("no JSON for ghp_16C7e42F292c6912E7710c838347Ae178B4a"); } } });
    expect(records()).toEqual([
      { time: "2025-01-02T03:04:05.678Z", level: "info", msg: "odd", logError: "fields could not be serialised: Error: no JSON for [REDACTED:github-token]" },
    ]);
  });

  it("writes to stderr by default, with the system clock", () => {
    const write = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    try {
      createJsonLogger().warn("to stderr");
      expect(write).toHaveBeenCalledTimes(1);
      const line = String(write.mock.calls[0]?.[0]);
      expect(line.endsWith("\n")).toBe(true);
      expect(JSON.parse(line)).toMatchObject({ level: "warn", msg: "to stderr", time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    } finally {
      write.mockRestore();
    }
  });
});

describe("silentLogger", () => {
  it("writes nothing, and its children are silent too", () => {
    const write = vi.spyOn(process.stderr, "write");
    try {
      silentLogger.debug("x");
      silentLogger.info("x");
      silentLogger.warn("x");
      silentLogger.error("x", { a: 1 });
      expect(silentLogger.child({ a: 1 })).toBe(silentLogger);
      expect(write).not.toHaveBeenCalled();
    } finally {
      write.mockRestore();
    }
  });
});
