import fs from "node:fs/promises";
import path from "node:path";

let sequence = 0;

/**
 * Replaces `file` with `body` atomically and durably: a uniquely named temporary file (two writers never
 * share one) is written and fsynced, renamed over `file`, then the directory is fsynced so the rename
 * survives a crash. Readers see the old content or the new, never a mix.
 */
export async function writeFileAtomic(file: string, body: string | Uint8Array): Promise<void> {
  const dir = path.dirname(file);
  await fs.mkdir(dir, { recursive: true });
  const tmp = `${file}.${process.pid}.${++sequence}.tmp`;
  const fh = await fs.open(tmp, "w");
  try {
    await fh.writeFile(body);
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await fs.rename(tmp, file);
  } catch (error) {
    await fs.rm(tmp, { force: true });
    throw error;
  }
  const dh = await fs.open(dir, "r");
  try {
    await dh.sync();
  } finally {
    await dh.close();
  }
}
