#!/usr/bin/env node
import { main } from "./program.js";

let outputFailed = false;

/**
 * Writes to a standard stream that may go away. When its reader closes early (`vltair … | head`), the
 * write fails with EPIPE: the rest of the output is dropped quietly and the command runs to its end (a
 * workflow still finishes its run and its journal). Any other write failure is said once on stderr.
 */
function writerFor(stream: NodeJS.WriteStream, name: string): (text: string) => void {
  let closed = false;
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (closed) return;
    closed = true;
    if (error.code === "EPIPE") return;
    outputFailed = true;
    if (stream !== process.stderr) process.stderr.write(`vltair: cannot write to ${name}: ${error.code ?? error.message}\n`);
  });
  return (text) => {
    if (!closed) stream.write(text);
  };
}

const out = writerFor(process.stdout, "stdout");
const err = writerFor(process.stderr, "stderr");
const code = await main(process.argv.slice(2), {
  out: (text) => out(`${text}\n`),
  err,
  isTty: process.stdout.isTTY === true,
});
process.exitCode = code === 0 && outputFailed ? 1 : code;
