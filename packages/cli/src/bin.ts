#!/usr/bin/env node
import { main } from "./program.js";

process.exitCode = await main(process.argv.slice(2), {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(text),
  isTty: process.stdout.isTTY === true,
});
