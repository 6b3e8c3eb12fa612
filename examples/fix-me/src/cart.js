/**
 * A shopping cart: lines of (sku, unit price, quantity).
 * @module cart
 */
import { applyDiscount, bulkDiscountPercent } from "./discount.js";
import { sumCents } from "./money.js";

/**
 * @typedef {{ sku: string, unitCents: number, quantity: number }} CartLine
 * @typedef {{ lines: CartLine[] }} Cart
 */

/** @returns {Cart} an empty cart */
export function createCart() {
  return { lines: [] };
}

/**
 * Adds units of an item; adding an SKU already in the cart increases its quantity.
 * @param {Cart} cart
 * @param {CartLine} item
 * @returns {Cart} a new cart (the argument is not modified)
 */
export function addItem(cart, item) {
  if (!Number.isInteger(item.quantity) || item.quantity <= 0) {
    throw new RangeError(`quantity must be a positive integer, got ${item.quantity}`);
  }
  const existing = cart.lines.find((line) => line.sku === item.sku);
  if (existing === undefined) return { lines: [...cart.lines, { ...item }] };
  return {
    lines: cart.lines.map((line) => (line.sku === item.sku ? { ...line, quantity: line.quantity + item.quantity } : line)),
  };
}

/**
 * Number of units in the cart.
 * @param {Cart} cart
 * @returns {number}
 */
export function itemCount(cart) {
  return cart.lines.reduce((count, line) => count + line.quantity, 0);
}

/**
 * Total of the cart in cents, with each line's bulk discount applied.
 * @param {Cart} cart
 * @returns {number}
 */
export function cartTotal(cart) {
  return sumCents(cart.lines.map((line) => applyDiscount(line.unitCents * line.quantity, bulkDiscountPercent(line.quantity))));
}
