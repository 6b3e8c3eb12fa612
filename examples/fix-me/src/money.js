/**
 * Money helpers. Amounts are integer cents so that sums never drift.
 * @module money
 */

/**
 * Rounds an amount in (possibly fractional) cents to whole cents, halves away from zero.
 * @param {number} cents
 * @returns {number}
 * @example roundCents(10.5) // 11
 */
export function roundCents(cents) {
  const rounded = Math.round(Math.abs(cents));
  return cents < 0 ? -rounded : rounded;
}

/**
 * Adds a list of amounts in cents.
 * @param {number[]} amounts
 * @returns {number}
 * @example sumCents([100, 250]) // 350
 */
export function sumCents(amounts) {
  let total = 0;
  for (const amount of amounts) {
    total += amount;
  }
  return total;
}

/**
 * Formats cents as a price with two decimals and the currency code.
 * @param {number} cents
 * @param {string} [currency="EUR"]
 * @returns {string}
 * @example formatPrice(1999) // "19.99 EUR"
 */
export function formatPrice(cents, currency = "EUR") {
  const sign = cents < 0 ? "-" : "";
  const abs = Math.abs(cents);
  const units = Math.floor(abs / 100);
  const rest = String(abs % 100).padStart(2, "0");
  return `${sign}${units}.${rest} ${currency}`;
}
