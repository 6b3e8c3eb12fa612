import { InvalidArgumentError } from "commander";

/** Commander parser for a positive integer flag (`--k 10`). */
export function positiveInteger(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError(`expected a positive integer, got '${value}'`);
  return n;
}

/** Commander parser for a finite number flag (`--dense-weight 0.7`). */
export function finiteNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n)) throw new InvalidArgumentError(`expected a number, got '${value}'`);
  return n;
}

/** Commander parser for a number in [0, 1] (`--load 0.3`). */
export function fraction(value: string): number {
  const n = finiteNumber(value);
  if (n < 0 || n > 1) throw new InvalidArgumentError(`expected a number between 0 and 1, got '${value}'`);
  return n;
}

/** Commander parser for a comma-separated list (`--cap code.write,test.run`). */
export function list(value: string): string[] {
  const items = value.split(",").map((s) => s.trim()).filter(Boolean);
  if (items.length === 0) throw new InvalidArgumentError(`expected a comma-separated list, got '${value}'`);
  return items;
}

/** Commander collector for a repeatable flag (`--scope a --scope b`). */
export function repeatable(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}
