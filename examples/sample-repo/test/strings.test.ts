import { strict as assert } from "node:assert";
import { test } from "node:test";
import { slugify, truncate, wordCount } from "../src/strings.ts";

test("slugify", () => assert.equal(slugify("Hello World!"), "hello-world"));
test("truncate", () => assert.equal(truncate("abcdef", 4), "abc…"));
test("wordCount", () => assert.equal(wordCount(" two  words "), 2));
