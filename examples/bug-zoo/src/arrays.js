/** Array utilities. @module arrays */

/**
 * Integers from `start` (inclusive) to `end` (exclusive).
 * @param {number} start
 * @param {number} end
 * @returns {number[]}
 */
export function range(start, end) {
  const out = [];
  for (let i = start; i < end; i++) {
    out.push(i);
  }
  return out;
}

/**
 * Splits `items` into chunks of `size` (the last one may be shorter).
 * @template T
 * @param {T[]} items
 * @param {number} size
 * @returns {T[][]}
 */
export function chunk(items, size) {
  const out = [];
  for (let i = 0; i < items.length; i += size) {
    out.push(items.slice(i, i + size));
  }
  return out;
}

/**
 * Index of `target` in the ascending array `sorted`, or -1.
 * @param {number[]} sorted
 * @param {number} target
 * @returns {number}
 */
export function binarySearch(sorted, target) {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (sorted[mid] === target) return mid;
    if (sorted[mid] < target) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
