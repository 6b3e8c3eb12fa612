// Loads the compiled addon: a prebuild shipped in prebuilds/<platform>-<arch>/, or a local build/Release.
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { ErrorCode, VesperError } from "./errors.js";

/** The raw handle the addon returns; wrapped by {@link Collection}. */
export interface NativeHandle {
  upsert(docs: unknown[]): Promise<{ upserted: number }>;
  remove(ids: unknown[]): Promise<number>;
  get(id: unknown): Promise<Record<string, unknown> | undefined>;
  count(): Promise<number>;
  search(query: unknown, config: unknown): Promise<unknown[]>;
  searchVector(vector: unknown, options: unknown): Promise<unknown[]>;
  searchText(text: string, options: unknown): Promise<unknown[]>;
  stats(): Promise<Record<string, unknown>>;
  ping(): Promise<void>;
  flush(): Promise<void>;
  checkpoint(): Promise<number>;
  snapshot(label: string): Promise<void>;
  listSnapshots(): Promise<{ label: string; lsn: number }[]>;
  restore(label: string): Promise<void>;
  compact(): Promise<void>;
  close(): Promise<void>;
}

interface NativeModule {
  openCollection(dir: string, options: unknown): Promise<NativeHandle>;
  setErrorClass(cls: typeof VesperError): void;
  analyze(text: string, analyzer?: string): string[];
  version: string;
}

const require = createRequire(import.meta.url);
/** The package root: dist/ (or src/ under tests) sits one level below it. */
const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** Explains how to get a binary when none fits this platform. */
function missingBinaryMessage(cause: unknown): string {
  const reason = cause instanceof Error ? cause.message.split("\n")[0] : String(cause);
  return [
    `@vltair/vesper-native has no prebuilt binary for ${process.platform}-${process.arch} (Node ${process.versions.node}, N-API ${process.versions.napi}).`,
    `Loader said: ${reason}`,
    "Build it from source (needs cmake >= 3.20 and a C++20 compiler such as g++ >= 11):",
    "  git clone <the VLTAIR repository> && cd vltair && npm install && npx nx run @vltair/vesper-native:build",
    "then point VLTAIR_VESPER_BINARY at packages/vesper-native/build/Release/vesper.node, or copy that",
    `file into ${path.join(packageRoot, "prebuilds", `${process.platform}-${process.arch}`)}/.`,
  ].join("\n");
}

function load(): NativeModule {
  const override = process.env.VLTAIR_VESPER_BINARY;
  try {
    const module = (override ? require(override) : (require("node-gyp-build") as (dir: string) => unknown)(packageRoot)) as NativeModule;
    module.setErrorClass(VesperError);
    return module;
  } catch (cause) {
    throw new VesperError(missingBinaryMessage(cause), ErrorCode.UNSUPPORTED, "UNSUPPORTED", "binding");
  }
}

let cached: NativeModule | undefined;

/** The addon, loaded on first use (so importing the package never fails by itself). */
export function native(): NativeModule {
  cached ??= load();
  return cached;
}
