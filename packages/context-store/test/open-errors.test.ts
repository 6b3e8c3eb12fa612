import { describe, expect, it } from "vitest";
import { openContextStore } from "../src/index.js";
import { tempDir } from "./helpers.js";

describe("openContextStore errors", () => {
  it("refuses bad options before opening anything, so the store can still be opened", async () => {
    const dir = await tempDir();
    await expect(openContextStore(dir, { cacheSize: -1 })).rejects.toMatchObject({ code: "InvalidOptions", message: expect.stringContaining("cacheSize") });
    const store = await openContextStore(dir, { durability: "none" });
    await store.close();
  });

  it("reports a store another handle holds as Locked, not Corrupt", async () => {
    const dir = await tempDir();
    const first = await openContextStore(dir, { durability: "none" });
    try {
      await expect(openContextStore(dir, { durability: "none" })).rejects.toMatchObject({ code: "Locked", details: { dir } });
    } finally {
      await first.close();
    }
    const again = await openContextStore(dir, { durability: "none" });
    await again.close();
  });
});
