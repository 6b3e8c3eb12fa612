/**
 * `TestExecAgent` (`testexec`): runs the project's tests in the sandbox and reports one `test_result`
 * per test; fails the task with `TestFailure` when any test fails.
 */
import type { AgentTask, TestExecPayload } from "@vltair/envelopes";
import { validatePayload } from "@vltair/envelopes";
import { AgentFailure, type AgentOutput } from "@vltair/orchestrator";
import type { AgentKitContext } from "../../sdk/agent-kit-context.js";
import { runSandboxed } from "../../sandbox/run-sandboxed.js";
import { createWorkspaceIO } from "../../workspace/workspace-io.js";
import { defineAgent, type DefinedAgent } from "../../sdk/define-agent.js";
import type { BuiltinAgentOptions } from "../options.js";
import { TestCommandError } from "../../testing/test-command.js";
import { failureMessage, failures, statusCounts, testExecArtifacts } from "./artifacts.js";
import { runTestSuite } from "./test-suite.js";

/** File access inside the `testexec.run` effect: that effect is the journaled unit, not each read. */
const unjournaled = { effect: <T>(_tool: string, _input: unknown, run: () => Promise<T>) => run() };

async function runTestExec(_task: AgentTask, ctx: AgentKitContext<TestExecPayload>): Promise<AgentOutput> {
  let report;
  try {
    // One coarse effect records the parsed report, not the raw reporter output (which carries sandbox
    // paths): the journal stays compact and the same suite gives the same record, measured durations aside.
    const payload = ctx.payload;
    const input = { workspace: payload.workspace, command: payload.command ?? null, timeoutMs: payload.timeoutMs ?? null };
    report = await ctx.effect("testexec.run", input, () =>
      runTestSuite(payload, {
        workspace: createWorkspaceIO(payload.workspace, unjournaled),
        runInSandbox: (spec) => runSandboxed(spec, { signal: ctx.signal }),
      }),
    );
  } catch (error) {
    if (error instanceof TestCommandError) throw new AgentFailure("ValidationFailure", `testexec: ${error.message}`, { cause: error });
    throw error;
  }
  const artifacts = testExecArtifacts(report);
  if (failures(report).length > 0) {
    const counts = statusCounts(report);
    throw new AgentFailure("TestFailure", failureMessage(report), {
      retryable: false,
      details: { command: [report.command.command, ...report.command.args], exitCode: report.exitCode, counts },
      partial: { artifacts },
    });
  }
  return { payload: { artifacts }, metrics: { timeMs: report.durationMs } };
}

/**
 * Creates the `testexec` agent (capability `test.run`). It works without a model: the command comes
 * from the payload or package.json, node:test runs with the TAP reporter, vitest/jest with their JSON
 * reporters, anything else is judged by exit code.
 *
 * @example
 * ```ts
 * orchestrator.register(createTestExecAgent());
 * await orchestrator.submit(createTask({ agent: "testexec", payload: { workspace: "examples/fix-me" } }));
 * ```
 */
export function createTestExecAgent(options: BuiltinAgentOptions = {}): DefinedAgent<TestExecPayload> {
  return defineAgent<TestExecPayload>({
    name: "testexec",
    version: "1.0.0",
    capabilities: ["test.run"],
    payloadSchema: (payload) => validatePayload("testexec", payload),
    ...(options.model === undefined ? {} : { model: options.model }),
    ...(options.prompts === undefined ? {} : { prompts: options.prompts }),
    run: runTestExec,
  });
}
