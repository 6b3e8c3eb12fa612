import type { PromptTemplate } from "../../sdk/prompt-library.js";
import { applyFilePatch, parseFilePatches } from "../../patching/patch-apply.js";
import type { CodeSnippet } from "./fault-localisation.js";
import type { SuspiciousLine } from "../../testing/coverage/ochiai.js";
import { createRepairVerifier, type RepairVerifierOptions } from "./repair-verify.js";
import type { SpectrumTest } from "../../testing/coverage/spectrum.js";
import type { RunInSandbox } from "../../testing/test-sandbox.js";

/** What the model is shown for one repair. */
export interface ModelRepairInput {
  workspace: string;
  failing: readonly SpectrumTest[];
  ranked: readonly SuspiciousLine[];
  snippets: readonly CodeSnippet[];
  verifierOptions: Omit<RepairVerifierOptions, "runInSandbox">;
}

/** A verified repair from the model, or how many patches it proposed in vain. */
export interface ModelRepairResult {
  tried: number;
  repair?: { file: string; original: string; content: string; explanation: string };
  /** Why each rejected patch was rejected, in order. */
  rejections: string[];
}

/** Asks the model for patches and verifies them. */
export type ModelRepairAttempt = (input: ModelRepairInput) => Promise<ModelRepairResult>;

/** What {@link createModelRepairer} needs: a journaled model, prompt, workspace reads and sandbox. */
export interface ModelRepairerDeps {
  chat(messages: { role: "system" | "user" | "assistant"; content: string }[], options: { promptId: string }): Promise<{ content: string }>;
  /** `debug-repair` prompt (placeholders: failing_tests, suspicious_lines, code). */
  prompt: PromptTemplate;
  readFile(file: string): Promise<string>;
  /** Journaled sandbox runs (`ctx.sandbox.run`). */
  runSandbox: RunInSandbox;
  /** Patches requested before giving up (default 2; a rejected patch's reason is fed back). */
  attempts?: number;
}

/**
 * Model-guided repair: renders the `debug-repair` prompt with the failing tests, the ranked lines and
 * the code around them, extracts a unified diff from each answer, applies it to the workspace files
 * (exact context) and verifies it like any candidate (failing tests, then the full suite).
 */
export function createModelRepairer(deps: ModelRepairerDeps): ModelRepairAttempt {
  return async (input) => {
    const verify = createRepairVerifier({ ...input.verifierOptions, runInSandbox: deps.runSandbox });
    const messages: { role: "system" | "user" | "assistant"; content: string }[] = [
      {
        role: "user",
        content: deps.prompt.render({
          failing_tests: input.failing.map((t) => `- ${t.fullName} (${t.file})\n${indent(t.message ?? "(no message)")}`).join("\n"),
          suspicious_lines: input.ranked.map((l) => `- ${l.file}:${l.line} (Ochiai ${l.score.toFixed(3)})`).join("\n"),
          code: input.snippets.map((s) => `${s.file}:\n${s.text}`).join("\n\n"),
        }),
      },
    ];
    const result: ModelRepairResult = { tried: 0, rejections: [] };
    for (let attempt = 0; attempt < (deps.attempts ?? 2); attempt++) {
      const answer = await deps.chat(messages, { promptId: deps.prompt.id });
      messages.push({ role: "assistant", content: answer.content });
      result.tried++;
      const reason = await tryPatch(answer.content, deps, verify, result);
      if (reason === undefined) return result;
      result.rejections.push(reason);
      messages.push({ role: "user", content: `That patch was rejected: ${reason}. Reply with a corrected unified diff only.` });
    }
    return result;
  };
}

async function tryPatch(
  answer: string,
  deps: ModelRepairerDeps,
  verify: ReturnType<typeof createRepairVerifier>,
  result: ModelRepairResult,
): Promise<string | undefined> {
  const diff = extractDiff(answer);
  if (diff === undefined) return "the answer holds no unified diff";
  let patches;
  try {
    patches = parseFilePatches(diff);
  } catch (error) {
    return (error as Error).message;
  }
  if (patches.length !== 1 || patches[0] === undefined) return `the patch must change exactly one file, it changes ${patches.length}`;
  const { oldPath, newPath, patch } = patches[0];
  const file = newPath ?? oldPath;
  if (file === undefined) return "the patch names no file";
  let original: string;
  let content: string;
  try {
    original = await deps.readFile(file);
    content = applyFilePatch(file, original, patch);
  } catch (error) {
    return (error as Error).message;
  }
  const verdict = await verify({ [file]: content });
  if (!verdict.passed) return `${verdict.stage}: ${verdict.reason ?? "tests fail"}`;
  result.repair = { file, original, content, explanation: `model patch (answer ${result.tried})` };
  return undefined;
}

/** The diff in a model answer: a ```diff fence, else everything from the first `--- ` header. */
export function extractDiff(answer: string): string | undefined {
  const fenced = /```(?:diff|patch)?\s*\n([\s\S]*?)```/.exec(answer);
  const body = fenced?.[1] ?? answer;
  const start = body.search(/^(?:diff --git |--- )/m);
  if (start === -1) return undefined;
  const diff = body.slice(start);
  return diff.endsWith("\n") ? diff : `${diff}\n`;
}

function indent(text: string): string {
  return text.split("\n").map((line) => `    ${line}`).join("\n");
}
