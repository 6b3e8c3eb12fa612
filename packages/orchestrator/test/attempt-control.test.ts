import { describe, expect, it } from "vitest";
import { AttemptControl } from "../src/attempt-control.js";

describe("AttemptControl", () => {
  it("fires a signal read before the abort, with the reason", () => {
    const c = new AttemptControl();
    const signal = c.signal;
    let seen: unknown;
    signal.addEventListener("abort", () => (seen = signal.reason));
    const reason = new Error("cancelled");
    c.abort(reason);
    expect(signal.aborted).toBe(true);
    expect(seen).toBe(reason);
    expect(c.signal).toBe(signal);
  });

  it("hands out an already aborted signal when first read after the abort", () => {
    const c = new AttemptControl();
    const reason = new Error("timed out");
    c.abort(reason);
    c.abort(new Error("second"));
    expect(c.aborted).toBe(true);
    expect(c.signal.aborted).toBe(true);
    expect(c.signal.reason).toBe(reason);
  });

  it("makes the race reject on abort even when the handler never settles", async () => {
    const c = new AttemptControl();
    const race = c.race(new Promise<never>(() => undefined));
    const reason = new Error("closed");
    c.abort(reason);
    await expect(race).rejects.toBe(reason);
    await expect(c.race(Promise.resolve(1))).rejects.toBe(reason);
  });

  it("settles like the handler when nothing aborts it", async () => {
    const c = new AttemptControl();
    await expect(c.race(Promise.resolve(7))).resolves.toBe(7);
    const boom = new Error("boom");
    await expect(new AttemptControl().race(Promise.reject(boom))).rejects.toBe(boom);
  });
});
