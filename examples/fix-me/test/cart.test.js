import { test } from "node:test";
import assert from "node:assert/strict";
import { addItem, cartTotal, createCart, itemCount } from "../src/cart.js";

test("a new cart is empty", () => {
  const cart = createCart();
  assert.equal(itemCount(cart), 0);
  assert.equal(cartTotal(cart), 0);
});

test("adding the same sku merges lines", () => {
  let cart = addItem(createCart(), { sku: "pen", unitCents: 150, quantity: 2 });
  cart = addItem(cart, { sku: "pen", unitCents: 150, quantity: 3 });
  assert.equal(cart.lines.length, 1);
  assert.equal(itemCount(cart), 5);
});

test("addItem rejects non-positive quantities", () => {
  assert.throws(() => addItem(createCart(), { sku: "pen", unitCents: 150, quantity: 0 }), RangeError);
});

test("cartTotal without discounts", () => {
  const cart = addItem(addItem(createCart(), { sku: "pen", unitCents: 150, quantity: 2 }), { sku: "pad", unitCents: 320, quantity: 1 });
  assert.equal(cartTotal(cart), 620);
});

test("cartTotal applies the bulk discount at ten units", () => {
  const cart = addItem(createCart(), { sku: "pen", unitCents: 100, quantity: 10 });
  assert.equal(cartTotal(cart), 950);
});
