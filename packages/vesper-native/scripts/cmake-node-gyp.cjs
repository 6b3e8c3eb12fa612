#!/usr/bin/env node
// prebuildify only knows how to drive node-gyp; this stands in for it and builds the addon with cmake-js.
// prebuildify calls `<this> rebuild --target=<v> --devdir=<dir> --arch=<arch> --release|--debug` and then
// takes the .node file it finds in build/Release (or build/Debug).
"use strict";
const { spawnSync } = require("node:child_process");
const path = require("node:path");

const args = process.argv.slice(2);
const option = (name) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const arch = option("arch") ?? process.arch;
const debug = args.includes("--debug");
// Incremental by default so repeated builds are quick; VESPER_CLEAN_BUILD=1 forces a from-scratch build.
const command = process.env.VESPER_CLEAN_BUILD === "1" ? "rebuild" : "build";

const cmakeJs = require.resolve("cmake-js/bin/cmake-js");
const result = spawnSync(
  process.execPath,
  [cmakeJs, command, "--arch", arch, "--parallel", String(require("node:os").availableParallelism()),
    ...(debug ? ["--debug"] : [])],
  { cwd: path.resolve(__dirname, ".."), stdio: "inherit" },
);
process.exit(result.status ?? 1);
