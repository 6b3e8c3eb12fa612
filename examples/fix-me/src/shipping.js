/**
 * Shipping costs.
 * @module shipping
 */

/** Orders of at least this many cents ship for free. */
export const FREE_SHIPPING_FROM = 5000;

/**
 * Shipping cost in cents: free from {@link FREE_SHIPPING_FROM}, else 490 plus 100 per started
 * kilogram above the first.
 * @param {number} totalCents
 * @param {number} weightKg
 * @returns {number}
 * @example shippingCost(1000, 2.5) // 690
 */
export function shippingCost(totalCents, weightKg) {
  if (totalCents >= FREE_SHIPPING_FROM) return 0;
  const extraKg = Math.max(0, Math.ceil(weightKg) - 1);
  return 490 + extraKg * 100;
}
