import { test } from "node:test";
import assert from "node:assert/strict";
import { binarySearch, chunk, range } from "../src/arrays.js";

test("range excludes the end", () => assert.deepEqual(range(2, 5), [2, 3, 4]));
test("empty range", () => assert.deepEqual(range(3, 3), []));
test("chunk splits evenly", () => assert.deepEqual(chunk([1, 2, 3, 4], 2), [[1, 2], [3, 4]]));
test("chunk keeps a short tail", () => assert.deepEqual(chunk([1, 2, 3], 2), [[1, 2], [3]]));
test("binarySearch finds every element", () => {
  const sorted = [1, 3, 5, 7, 9];
  sorted.forEach((v, i) => assert.equal(binarySearch(sorted, v), i));
});
test("binarySearch on one element", () => assert.equal(binarySearch([4], 4), 0));
test("binarySearch misses", () => assert.equal(binarySearch([1, 3, 5], 4), -1));
