import { test } from "node:test";
import assert from "node:assert/strict";
import { clamp, isLeapYear, median } from "../src/numbers.js";

test("clamp inside", () => assert.equal(clamp(5, 0, 10), 5));
test("clamp below and above", () => {
  assert.equal(clamp(-1, 0, 10), 0);
  assert.equal(clamp(11, 0, 10), 10);
});
test("leap years", () => {
  assert.equal(isLeapYear(2024), true);
  assert.equal(isLeapYear(2000), true);
});
test("common years", () => {
  assert.equal(isLeapYear(1900), false);
  assert.equal(isLeapYear(2023), false);
});
test("median of odd count", () => assert.equal(median([3, 1, 2]), 2));
test("median of even count", () => assert.equal(median([4, 1, 3, 2]), 2.5));
