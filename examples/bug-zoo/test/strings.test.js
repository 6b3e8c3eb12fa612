import { test } from "node:test";
import assert from "node:assert/strict";
import { isPalindrome, truncate } from "../src/strings.js";

test("truncate keeps short text", () => assert.equal(truncate("abc", 3), "abc"));
test("truncate cuts long text", () => assert.equal(truncate("abcdef", 4), "abc…"));
test("palindromes", () => {
  assert.equal(isPalindrome("A man, a plan, a canal: Panama"), true);
  assert.equal(isPalindrome("x"), true);
});
test("not palindromes", () => assert.equal(isPalindrome("abca"), false));
