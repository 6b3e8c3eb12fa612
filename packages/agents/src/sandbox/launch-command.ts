import type { SandboxCapabilities } from "./sandbox-capabilities.js";

/** How one sandbox run is started: the argv handed to `runProcess` and what it isolates. */
export interface LaunchPlan {
  command: string;
  args: string[];
  /** True when the command runs under a `sh` init inside a PID namespace (exit codes > 128 mean signals). */
  namespaced: boolean;
  /** Processes the launch chain itself keeps alive (unshare + the namespace's init). */
  overheadProcesses: number;
}

/** The first line of stderr when the namespace setup itself failed (never the child's output). */
export const SETUP_FAILURE_MARKER = "vltair-sandbox: setup failed:";

// Joins every run cgroup before anything else starts, so no descendant can be created outside them.
const JOIN_CGROUPS = `for f in $1; do echo $$ > "$f" || { echo "${SETUP_FAILURE_MARKER} cannot join cgroup $f" >&2; exit 125; }; done; shift; exec "$@"`;

// Runs as PID 1 of the new namespaces: makes every mount read-only except the writable directories,
// then runs the command as a child (not exec'd: an init ignores default-action signals such as SIGXCPU).
const MOUNT_SETUP = `
n=$1; shift; w=""
while [ "$n" -gt 0 ]; do
  mount --bind "$1" "$1" || { echo "${SETUP_FAILURE_MARKER} cannot bind $1" >&2; exit 125; }
  w="$w|$1|"; shift; n=$((n-1))
done
cwd=$1; shift
for mp in $(cut -d' ' -f5 /proc/self/mountinfo); do
  case "$mp" in /proc|/proc/*) continue;; esac
  case "$w" in *"|$mp|"*) continue;; esac
  if [ "$mp" = / ]; then
    mount -o remount,bind,ro / || { echo "${SETUP_FAILURE_MARKER} cannot make / read-only" >&2; exit 125; }
  else
    mount -o remount,bind,ro "$mp" 2>/dev/null
  fi
done
cd "$cwd" || { echo "${SETUP_FAILURE_MARKER} cannot enter $cwd" >&2; exit 125; }
unset PWD OLDPWD
"$@"
exit $?
`;

/** Inputs of {@link planLaunch}. */
export interface LaunchInputs {
  command: string;
  args: readonly string[];
  cwd: string;
  writable: readonly string[];
  cpuSeconds: number;
  network: boolean;
  useNamespaces: boolean;
  cgroupProcsFiles: readonly string[];
}

/** Builds the launch chain: [cgroup join] → [unshare + read-only mounts + setpriv] → [prlimit] → command. */
export function planLaunch(caps: SandboxCapabilities, inputs: LaunchInputs): LaunchPlan {
  let argv: string[] = [inputs.command, ...inputs.args];
  if (caps.tools.prlimit !== undefined) {
    // Soft limit → SIGXCPU; one more second → SIGKILL for a process that handles SIGXCPU.
    argv = [caps.tools.prlimit, `--cpu=${inputs.cpuSeconds}:${inputs.cpuSeconds + 1}`, "--", ...argv];
  }
  const sh = caps.tools.sh ?? "/bin/sh";
  let namespaced = false;
  let overheadProcesses = 0;
  if (inputs.useNamespaces && caps.namespaces && caps.tools.unshare !== undefined && caps.tools.setpriv !== undefined) {
    namespaced = true;
    overheadProcesses = 2;
    // No capabilities left: the child cannot undo the read-only mounts, leave its cgroups or raise limits.
    argv = [caps.tools.setpriv, "--bounding-set=-all", "--inh-caps=-all", "--no-new-privs", "--", ...argv];
    argv = [sh, "-c", MOUNT_SETUP, "sh", String(inputs.writable.length), ...inputs.writable, inputs.cwd, ...argv];
    const unshare = [caps.tools.unshare, "--mount", "--pid", "--fork", "--mount-proc"];
    if (!inputs.network) unshare.push("--net");
    argv = [...unshare, "--", ...argv];
  }
  if (inputs.cgroupProcsFiles.length > 0) {
    argv = [sh, "-c", JOIN_CGROUPS, "sh", inputs.cgroupProcsFiles.join(" "), ...argv];
  }
  const [command, ...args] = argv;
  return { command: command as string, args, namespaced, overheadProcesses };
}
