import { statSync } from "node:fs";
import type { Logger } from "pino";

/**
 * The SQLite file a process opened, by identity (device and inode). better-sqlite3 keeps its file
 * descriptor: a file deleted or replaced (renamed over) under a running Relais would go on taking
 * writes into a file nobody will ever open again, and the next start would begin an empty
 * database. `problem()` compares the path with what was opened (one stat, a few microseconds), so
 * it can run before every query; a change is logged once, with the path.
 */
export class SqliteFileIdentity {
  private readonly opened: { dev: bigint; ino: bigint };
  private lastProblem: string | undefined;

  constructor(
    readonly path: string,
    private readonly log?: Logger,
  ) {
    const s = statSync(path, { bigint: true });
    this.opened = { dev: s.dev, ino: s.ino };
  }

  /** Why the file at the path is no longer the database this process opened; undefined while it is. */
  problem(): string | undefined {
    const now = statSync(this.path, { bigint: true, throwIfNoEntry: false });
    const problem = !now
      ? `the database file ${this.path} was deleted`
      : now.dev !== this.opened.dev || now.ino !== this.opened.ino
        ? `the database file ${this.path} was replaced by another file`
        : undefined;
    if (problem !== this.lastProblem) {
      if (problem)
        this.log?.error(
          { path: this.path, problem },
          "database file lost under the running process: every command is refused until Relais is restarted on a database",
        );
      else this.log?.warn({ path: this.path }, "the database file this process opened is back at its path");
      this.lastProblem = problem;
    }
    return problem;
  }
}
