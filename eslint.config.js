// ESLint 9 flat config: typescript-eslint with type information for every package's TypeScript (src,
// test, bench) — the rules that catch real bugs (floating and misused promises, unsafe `any`, unbound
// methods). Each package's Nx `lint` target runs it, and `test` depends on `lint`, so `npm test` fails on
// a lint error. Disabling a rule on a line needs a reason next to it.
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "**/dist/**", "**/node_modules/**", "**/coverage/**", "**/build/**", "**/prebuilds/**", "vendor/**", "docs/**",
      "packages/envelopes/src/generated/**", "tools/test/fixtures/**", "examples/**", "packages/cli/demo-repo/**",
    ],
  },
  {
    files: ["**/*.ts"],
    extends: [js.configs.recommended, ...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ["vitest.shared.ts"] }, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      // Unused names are dead code or a forgotten call; `_`-prefixed ones are deliberate.
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_", caughtErrors: "none" }],
      // An `async` function without `await` is how many handlers satisfy a Promise-returning interface.
      "@typescript-eslint/require-await": "off",
      // Abort reasons and caught errors are `unknown` by nature; rejecting with a literal non-Error is still an error.
      "@typescript-eslint/prefer-promise-reject-errors": ["error", { allowThrowingAny: true, allowThrowingUnknown: true }],
    },
  },
  {
    // Tests poke at values of unknown shape on purpose (parsed JSON, mocks, `expect.any`): keep the
    // promise rules, drop the `any`-flow ones.
    files: ["packages/*/test/**/*.ts", "packages/*/bench/**/*.ts"],
    rules: {
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-return": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/unbound-method": "off",
    },
  },
  {
    // Plain JavaScript (scripts, benchmarks, fixtures the tests run): syntax-level rules.
    files: ["**/*.{js,mjs,cjs}"],
    extends: [js.configs.recommended],
    languageOptions: { globals: { ...globals.node } },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      "no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
    },
  },
);
