// Starts the repository's ASP.NET Core apps as real processes on a free port (Kestrel picks it: --urls
// http://127.0.0.1:0) and stops them, with every child they started, when the test is done.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

export const repoRoot = fileURLToPath(new URL("../../../../", import.meta.url));

const listening = /Now listening on: (http:\/\/127\.0\.0\.1:\d+)/;

// The apps run in process groups of their own (so that `dotnet run` and the app it starts end together), which
// also means they would outlive this process if it ended without stopping them: whatever ends it, they go too.
const running = new Set();
process.once("exit", () => {
  for (const pid of running) signalGroup(pid, "SIGKILL");
});
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.once(signal, () => {
    for (const pid of running) signalGroup(pid, "SIGKILL");
    process.exit(128 + (signal === "SIGINT" ? 2 : 15));
  });
}

/**
 * Starts a project with `dotnet run --no-build` (build it first: `npm run build:hosts`), as the README runs
 * the sample. Resolves once Kestrel says where it listens.
 * @param {string} project path from the repository root, e.g. "samples/AgentChat"
 * @param {string[]} [args] more arguments for the app
 * @param {{ urls?: string }} [options]
 */
export async function startApp(project, args = [], { urls = "http://127.0.0.1:0" } = {}) {
  const child = spawn("dotnet", ["run", "--no-build", "--project", project, "--", "--urls", urls, ...args], {
    cwd: repoRoot,
    // Its own process group, so that stop() ends `dotnet run` and the app it started, and nothing else.
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ASPNETCORE_ENVIRONMENT: "Development", DOTNET_NOLOGO: "1", DOTNET_CLI_TELEMETRY_OPTOUT: "1" },
  });
  running.add(child.pid);
  let output = "";
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${project} did not start within 90 s:\n${output}`)), 90_000);
    const onData = (chunk) => {
      output = (output + chunk).slice(-20_000);
      const match = listening.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`${project} exited (${code ?? signal}) before listening:\n${output}`));
    });
  });
  let stopped;
  return {
    url,
    output: () => output,
    /** Stops the app gracefully (SIGTERM: sockets are closed with 1001), or kills it after 15 s. */
    stop() {
      stopped ??= (async () => {
        signalGroup(child.pid, "SIGTERM");
        const timer = setTimeout(() => signalGroup(child.pid, "SIGKILL"), 15_000);
        await exited;
        clearTimeout(timer);
        signalGroup(child.pid, "SIGKILL"); // anything of the group still alive
        running.delete(child.pid);
      })();
      return stopped;
    },
  };
}

function signalGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}
