import { test } from "node:test";
import assert from "node:assert/strict";
import { applyDiscount, bulkDiscountPercent, clampPercent } from "../src/discount.js";

test("clampPercent keeps values in range", () => {
  assert.equal(clampPercent(-5), 0);
  assert.equal(clampPercent(150), 100);
  assert.equal(clampPercent(30), 30);
});

test("no bulk discount below ten units", () => {
  assert.equal(bulkDiscountPercent(1), 0);
  assert.equal(bulkDiscountPercent(9), 0);
});

test("ten units get five percent", () => {
  assert.equal(bulkDiscountPercent(10), 5);
});

test("fifty units get ten percent", () => {
  assert.equal(bulkDiscountPercent(50), 10);
  assert.equal(bulkDiscountPercent(49), 5);
});

test("applyDiscount rounds to whole cents", () => {
  assert.equal(applyDiscount(1000, 5), 950);
  assert.equal(applyDiscount(999, 5), 949);
});

test("applyDiscount clamps the percentage", () => {
  assert.equal(applyDiscount(1000, 120), 0);
});
