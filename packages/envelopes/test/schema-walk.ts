// A small walker over a valid value and the schema that accepts it, so the tests can derive from the
// schemas themselves which properties are required, how each is typed and which objects are closed.
import fs from "node:fs";
import path from "node:path";
import { schemasDir } from "../scripts/generate.mjs";

type Schema = Record<string, unknown>;

const byId = new Map<string, Schema>();
for (const file of fs.readdirSync(schemasDir).filter((f) => f.endsWith(".schema.json"))) {
  const schema = JSON.parse(fs.readFileSync(path.join(schemasDir, file), "utf8")) as Schema;
  byId.set(schema["$id"] as string, schema);
}

/** The root schema of a fixture subject. */
export function rootSchemaOf(subject: string): { schema: Schema; base: string } {
  const name = subject.startsWith("payload-")
    ? `${subject.slice("payload-".length)}-payload`
    : { task: "agent-task", result: "agent-result", error: "agent-error", event: "run-event", artifact: "artifact" }[subject];
  const base = `https://vltair.dev/schemas/v1/${String(name)}.schema.json`;
  const schema = byId.get(base);
  if (!schema) throw new Error(`no schema ${base}`);
  return { schema, base };
}

function resolve(schema: Schema, base: string): { schema: Schema; base: string } {
  const ref = schema["$ref"];
  if (typeof ref !== "string") return { schema, base };
  const url = new URL(ref, base);
  const fragment = decodeURIComponent(url.hash.slice(1));
  url.hash = "";
  let target: unknown = byId.get(url.href);
  for (const segment of fragment.split("/").slice(1)) target = (target as Schema)[segment];
  return resolve(target as Schema, url.href);
}

/** Resolves `$ref`s and picks the `oneOf` branch that `value` (a valid value) belongs to. */
export function shapeOf(schemaIn: Schema, baseIn: string, value: unknown): { schema: Schema; base: string } {
  const { schema, base } = resolve(schemaIn, baseIn);
  const oneOf = schema["oneOf"] as Schema[] | undefined;
  if (!oneOf) return { schema, base };
  const record = value as Record<string, unknown>;
  for (const branch of oneOf) {
    const r = resolve(branch, base);
    const props = (r.schema["properties"] ?? {}) as Record<string, Schema>;
    const required = (r.schema["required"] ?? []) as string[];
    if (required.every((k) => k in record) && Object.keys(record).every((k) => k in props)) {
      const discriminator = schema["discriminator"] as { propertyName: string } | undefined;
      if (!discriminator || props[discriminator.propertyName]?.["const"] === record[discriminator.propertyName]) return r;
    }
  }
  throw new Error(`no oneOf branch of ${base} fits ${JSON.stringify(value)}`);
}

export interface Node {
  readonly pointer: string;
  readonly value: unknown;
  readonly schema: Schema;
}

/** Every value inside `value` (itself included) with the schema that governs it. */
export function* walk(value: unknown, schemaIn: Schema, baseIn: string, pointer = ""): Generator<Node> {
  const { schema, base } = shapeOf(schemaIn, baseIn, value);
  yield { pointer, value, schema };
  if (Array.isArray(value)) {
    const items = schema["items"] as Schema | undefined;
    if (items) for (const [i, item] of value.entries()) yield* walk(item, items, base, `${pointer}/${i}`);
  } else if (value !== null && typeof value === "object") {
    const props = (schema["properties"] ?? {}) as Record<string, Schema>;
    for (const [key, child] of Object.entries(value)) {
      const sub = props[key];
      if (sub) yield* walk(child, sub, base, `${pointer}/${key}`);
    }
  }
}

/** A value of the wrong JSON type for `schema`, or undefined when `schema` accepts anything. */
export function wrongValueFor(schema: Schema): unknown {
  const type = schema["type"];
  if (type === "string") return 12345;
  if (type === "integer" || type === "number") return "12";
  if (type === "boolean") return "true";
  if (type === "object") return [];
  if (type === "array") return {};
  if ("const" in schema || "enum" in schema) return 12345;
  return undefined;
}

/** Deep copy of `value` with `edit` applied to the object or array at `pointer`. */
export function editAt(value: unknown, pointer: string, edit: (container: Record<string, unknown>) => void): unknown {
  const copy = structuredClone(value);
  let target = copy as Record<string, unknown>;
  for (const segment of pointer.split("/").slice(1)) target = target[segment] as Record<string, unknown>;
  edit(target);
  return copy;
}
