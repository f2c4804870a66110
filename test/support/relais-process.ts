import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import type { Cleanup } from "./cleanups.ts";
import { npmStartArgs } from "./npm-start.ts";

/**
 * The compiled Relais as a real process — what `npm start` runs (`node dist/app/main.js`), or
 * `npm start` itself — for the end-to-end tests and the bench: its output as it comes, waiting for a
 * line (or its exit), a signal, and its resident memory. One helper, so every caller starts,
 * watches and stops it the same way.
 */

/** The project's folder, where a process starts unless told (its bundle kept fresh for the tests by build-once.ts). */
const root = new URL("../../", import.meta.url).pathname;

export interface RelaisStart {
  /** The whole environment of the process (cleanEnv for a test's). */
  env: NodeJS.ProcessEnv;
  /** The command; what `npm start` runs (test/support/npm-start.ts) unless told (e.g. `["npm", "start", "--silent"]`). */
  cmd?: string[];
  /** Where it runs; the repository unless told. */
  cwd?: string;
  /** Written to its stdin, which is then closed. */
  input?: string;
  /** Its stdin left open, for the caller to write to (`child.stdin`) and close. */
  openStdin?: boolean;
  /**
   * In a process group of its own, signals sent to the group: npm forwards nothing reliably, so
   * `npm start` is stopped (and killed after a test) through its group.
   */
  group?: boolean;
  /** Killed (SIGKILL) by these after the test, if still running. */
  cleanups?: Cleanup[];
}

export interface RelaisProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (null when a signal ended it); set up at spawn, so never missed. */
  exited: Promise<number | null>;
  /**
   * Resolves once every text was printed (on `stream`, either by default); rejects with the output
   * if it exits first or time runs out.
   */
  waitFor(texts: string | readonly string[], timeoutMs?: number, stream?: "stdout" | "stderr"): Promise<void>;
  /** Sends `signal` (SIGTERM by default) and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** Its resident set (VmRSS), as the kernel counts it, in bytes. */
  rss(): number;
}

export function startRelais(opts: RelaisStart): RelaisProcess {
  const [cmd, ...args] = opts.cmd ?? [process.execPath, ...npmStartArgs()];
  const child = spawn(cmd!, args, {
    cwd: opts.cwd ?? root,
    env: opts.env,
    stdio: [opts.input === undefined && !opts.openStdin ? "ignore" : "pipe", "pipe", "pipe"],
    detached: opts.group ?? false,
  });
  let stdout = "";
  let stderr = "";
  const changed = new Set<() => void>();
  const notify = () => {
    for (const f of changed) f();
  };
  child.stdout!.on("data", (d: Buffer) => {
    stdout += d.toString();
    notify();
  });
  child.stderr!.on("data", (d: Buffer) => {
    stderr += d.toString();
    notify();
  });
  const exited = new Promise<number | null>((resolve) =>
    // "close", not "exit": the output is all read by then.
    child.once("close", (code) => {
      notify();
      resolve(code);
    }),
  );
  if (opts.input !== undefined) child.stdin!.end(opts.input);
  const running = () => child.exitCode === null && child.signalCode === null;
  const signal = (s: NodeJS.Signals) => (opts.group ? process.kill(-child.pid!, s) : child.kill(s));
  opts.cleanups?.push(() => {
    if (running()) signal("SIGKILL");
  });

  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    waitFor(texts, timeoutMs = 60_000, stream) {
      const all = typeof texts === "string" ? [texts] : texts;
      const on = (t: string) =>
        (stream !== "stdout" && stderr.includes(t)) || (stream !== "stderr" && stdout.includes(t));
      const printed = () => all.every(on);
      return new Promise<void>((resolve, reject) => {
        const done = (error?: Error) => {
          changed.delete(check);
          clearTimeout(timer);
          if (error) reject(error);
          else resolve();
        };
        const check = () => {
          if (printed()) done();
          else if (!running())
            done(new Error(`Relais exited (${child.exitCode ?? child.signalCode}): ${stderr}${stdout}`));
        };
        const timer = setTimeout(
          () => done(new Error(`Relais did not print ${JSON.stringify(all)} within ${timeoutMs} ms: ${stderr}`)),
          timeoutMs,
        );
        changed.add(check);
        check();
      });
    },
    async stop(s = "SIGTERM") {
      if (running()) signal(s);
      return exited;
    },
    rss: () => rssOf(child.pid!),
  };
}

/** Runs it until it exits; one that neither exits nor stops within the time is reported. */
export async function runRelais(
  opts: RelaisStart,
  timeoutMs = 45_000,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const p = startRelais(opts);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no exit within ${timeoutMs / 1000} s: ${p.stderr()}`)), timeoutMs);
  });
  try {
    const code = await Promise.race([p.exited, late]);
    return { code, stdout: p.stdout(), stderr: p.stderr() };
  } finally {
    clearTimeout(timer);
  }
}

/** A process's resident set, as the kernel counts it, in bytes. */
export function rssOf(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, "utf8").match(/^VmRSS:\s+(\d+) kB$/m);
  if (!line) throw new Error(`no VmRSS for ${pid}`);
  return Number(line[1]) * 1024;
}
