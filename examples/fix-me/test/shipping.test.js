import { test } from "node:test";
import assert from "node:assert/strict";
import { FREE_SHIPPING_FROM, shippingCost } from "../src/shipping.js";

test("shipping is free from the threshold", () => {
  assert.equal(shippingCost(FREE_SHIPPING_FROM, 10), 0);
});

test("first kilogram is included", () => {
  assert.equal(shippingCost(1000, 0.4), 490);
  assert.equal(shippingCost(1000, 1), 490);
});

test("each started kilogram above the first costs extra", () => {
  assert.equal(shippingCost(1000, 2.5), 690);
});
