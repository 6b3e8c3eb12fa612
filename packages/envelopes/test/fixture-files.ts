// Loads fixtures/v1 and maps each fixture subject to the validator that judges it.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  validateArtifact,
  validateError,
  validateEvent,
  validatePayload,
  validateResult,
  validateTask,
  type BuiltinAgentKind,
} from "../src/index.js";

export const fixturesDir = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "fixtures", "v1");

export interface Fixture {
  readonly subject: string;
  readonly name: string;
  readonly value: unknown;
}

export interface InvalidFixture extends Fixture {
  readonly description: string;
  readonly expectedPointers: readonly string[];
}

export function validatorFor(subject: string): (value: unknown) => unknown {
  switch (subject) {
    case "task":
      return validateTask;
    case "result":
      return validateResult;
    case "error":
      return validateError;
    case "event":
      return validateEvent;
    case "artifact":
      return validateArtifact;
    default:
      if (!subject.startsWith("payload-")) throw new Error(`unknown fixture subject ${subject}`);
      return (value) => validatePayload(subject.slice("payload-".length) as BuiltinAgentKind, value);
  }
}

function read(verdict: "valid" | "invalid"): { subject: string; name: string; json: unknown }[] {
  const root = path.join(fixturesDir, verdict);
  return fs
    .readdirSync(root)
    .sort()
    .flatMap((subject) =>
      fs
        .readdirSync(path.join(root, subject))
        .filter((f) => f.endsWith(".json"))
        .sort()
        .map((file) => ({
          subject,
          name: file.slice(0, -".json".length),
          json: JSON.parse(fs.readFileSync(path.join(root, subject, file), "utf8")) as unknown,
        })),
    );
}

export function validFixtures(): Fixture[] {
  return read("valid").map(({ subject, name, json }) => ({ subject, name, value: json }));
}

export function invalidFixtures(): InvalidFixture[] {
  return read("invalid").map(({ subject, name, json }) => {
    const record = json as { description: string; expectedPointers: string[]; value: unknown };
    return { subject, name, description: record.description, expectedPointers: record.expectedPointers, value: record.value };
  });
}
