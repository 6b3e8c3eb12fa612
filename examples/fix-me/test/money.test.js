import { test } from "node:test";
import assert from "node:assert/strict";
import { formatPrice, roundCents, sumCents } from "../src/money.js";

test("roundCents rounds halves away from zero", () => {
  assert.equal(roundCents(10.5), 11);
  assert.equal(roundCents(-10.5), -11);
});

test("roundCents keeps whole cents", () => {
  assert.equal(roundCents(42), 42);
});

test("sumCents adds amounts", () => {
  assert.equal(sumCents([100, 250, 1]), 351);
});

test("sumCents of nothing is zero", () => {
  assert.equal(sumCents([]), 0);
});

test("formatPrice pads cents", () => {
  assert.equal(formatPrice(1905), "19.05 EUR");
});

test("formatPrice handles negatives and currency", () => {
  assert.equal(formatPrice(-250, "USD"), "-2.50 USD");
});
