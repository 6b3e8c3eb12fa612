import { strict as assert } from "node:assert";
import { test } from "node:test";
import { parseConfig } from "../src/config.ts";

test("parses keys and comments", () => {
  assert.deepEqual(parseConfig("port = 9000 # web\nhost = example.org\ndebug = true"), {
    port: 9000,
    host: "example.org",
    debug: true,
  });
});

test("rejects unknown keys", () => {
  assert.throws(() => parseConfig("colour = red"), /unknown key 'colour'/);
});
