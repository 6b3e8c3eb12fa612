/** Input validation. @module validate */

/**
 * A TCP/UDP port number: an integer in 1..65535.
 * @param {number} port
 * @returns {boolean}
 */
export function isValidPort(port) {
  if (!Number.isInteger(port)) return false;
  return port >= 1 && port <= 65535;
}

/**
 * Days in `month` (1-12) of `year`.
 * @param {number} month
 * @param {boolean} leap
 * @returns {number}
 */
export function daysInMonth(month, leap) {
  if (month === 2) return leap ? 29 : 28;
  if (month === 4 || month === 6 || month === 9 || month === 11) return 30;
  return 31;
}
