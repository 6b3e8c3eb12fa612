/** String utilities. @module strings */

/**
 * `text` cut to at most `max` characters, the last one replaced by "…" when cut.
 * @param {string} text
 * @param {number} max
 * @returns {string}
 */
export function truncate(text, max) {
  if (text.length <= max) return text;
  return text.slice(0, max - 1) + "…";
}

/**
 * Whether `text` reads the same backwards, ignoring case and non-letters.
 * @param {string} text
 * @returns {boolean}
 */
export function isPalindrome(text) {
  const letters = text.toLowerCase().replace(/[^a-z]/g, "");
  for (let i = 0, j = letters.length - 1; i < j; i++, j--) {
    if (letters[i] !== letters[j]) return false;
  }
  return true;
}
