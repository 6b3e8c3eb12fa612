import { test } from "node:test";
import assert from "node:assert/strict";
import { daysInMonth, isValidPort } from "../src/validate.js";

test("valid ports", () => {
  assert.equal(isValidPort(1), true);
  assert.equal(isValidPort(65535), true);
});
test("invalid ports", () => {
  assert.equal(isValidPort(0), false);
  assert.equal(isValidPort(65536), false);
  assert.equal(isValidPort(80.5), false);
});
test("february", () => {
  assert.equal(daysInMonth(2, false), 28);
  assert.equal(daysInMonth(2, true), 29);
});
test("thirty and thirty-one days", () => {
  assert.equal(daysInMonth(4, false), 30);
  assert.equal(daysInMonth(1, false), 31);
  assert.equal(daysInMonth(3, true), 31);
});
