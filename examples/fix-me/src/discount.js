/**
 * Discount rules.
 * @module discount
 */
import { roundCents } from "./money.js";

/**
 * Clamps a percentage into [0, 100].
 * @param {number} percent
 * @returns {number}
 */
export function clampPercent(percent) {
  if (percent < 0) return 0;
  if (percent > 100) return 100;
  return percent;
}

/**
 * The bulk discount for buying `quantity` units of one item: 10 or more units get 5 %, 50 or more
 * get 10 %.
 * @param {number} quantity
 * @returns {number} percent
 * @example bulkDiscountPercent(10) // 5
 */
export function bulkDiscountPercent(quantity) {
  if (quantity >= 50) return 10;
  if (quantity > 10) return 5;
  return 0;
}

/**
 * Applies a percentage discount to an amount, rounding to whole cents.
 * @param {number} cents
 * @param {number} percent clamped into [0, 100]
 * @returns {number}
 * @example applyDiscount(1000, 5) // 950
 */
export function applyDiscount(cents, percent) {
  const p = clampPercent(percent);
  return roundCents(cents * (100 - p) / 100);
}
