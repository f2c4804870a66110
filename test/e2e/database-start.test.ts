import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { TEST_PG_URL, tempDir } from "../helpers.ts";
import { cleanupsAfterEach } from "../support/cleanups.ts";
import { startRelais } from "../support/relais-process.ts";

const root = new URL("../../", import.meta.url).pathname;
const cleanups = cleanupsAfterEach();

/** The environment of `npm start` in the shell chat: no platform token, French. */
function shellEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base = { ...process.env };
  for (const k of ["SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "DISCORD_TOKEN", "RELAIS_LANG", "RELAIS_POLICY"])
    delete base[k];
  return { ...base, RELAIS_EXPECT_DATABASE: "", RELAIS_ENV_FILE: "/dev/null", ...env };
}

function npmStart(input: string, env: Record<string, string>) {
  return spawnSync("npm", ["start", "--silent"], {
    cwd: root,
    input,
    encoding: "utf8",
    timeout: 50_000,
    env: shellEnv(env),
  });
}

function dbFile(): string {
  const { dir, cleanup } = tempDir();
  cleanups.push(cleanup);
  return join(dir, "relais.db");
}

describe("npm start and its database", () => {
  it("GIVEN no database at DATABASE_URL THEN the start says on stderr that it created a new empty one, with its path, and the next start does not", () => {
    const path = dbFile();
    const first = npmStart("/ticket nouveau Imprimante bloquée\n", { DATABASE_URL: `file:${path}` });
    expect(first.status).toBe(0);
    expect(first.stderr).toContain(`Relais: no database at ${path} — created a new empty one\n`);
    expect(first.stdout).toContain("T-1 ouvert");
    const second = npmStart("/ticket list\n", { DATABASE_URL: `file:${path}` });
    expect(second.status).toBe(0);
    expect(second.stderr).not.toContain("created a new empty one");
    expect(second.stdout).toContain("Imprimante bloquée");
  });

  it("GIVEN RELAIS_EXPECT_DATABASE=1 and no SQLite file THEN the start stops (exit 1) with one line naming the variable and the path, and creates nothing", () => {
    const path = dbFile();
    const run = npmStart("/ticket nouveau Imprimante bloquée\n", {
      DATABASE_URL: `file:${path}`,
      RELAIS_EXPECT_DATABASE: "1",
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(
      `Relais: RELAIS_EXPECT_DATABASE=1 but there is no Relais database at ${path}; not starting (restore the database or fix DATABASE_URL, or unset RELAIS_EXPECT_DATABASE to create a new empty one)\n`,
    );
    expect(run.stdout).not.toContain("T-1");
    expect(existsSync(path)).toBe(false);
  });

  it("GIVEN RELAIS_EXPECT_DATABASE=1 and a PostgreSQL schema without Relais's tables THEN the start stops naming the URL with its password masked, and creates nothing", async () => {
    const schema = `x_${randomUUID().replace(/-/g, "").slice(0, 12)}`;
    const url = new URL(TEST_PG_URL);
    url.password = "s3cret-pw"; // trust auth ignores it; it must not be printed
    url.searchParams.set("schema", schema);
    const run = npmStart("/ticket list\n", { DATABASE_URL: url.toString(), RELAIS_EXPECT_DATABASE: "1" });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("RELAIS_EXPECT_DATABASE=1 but there is no Relais database at postgresql://");
    expect(run.stderr).toContain(`:***@${url.host}`);
    expect(run.stderr).not.toContain("s3cret-pw");
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    const client = new pg.Client({ connectionString: TEST_PG_URL });
    await client.connect();
    try {
      const { rowCount } = await client.query("SELECT 1 FROM information_schema.schemata WHERE schema_name = $1", [
        schema,
      ]);
      expect(rowCount).toBe(0);
    } finally {
      await client.end();
    }
  });

  it("GIVEN a running Relais whose database file is deleted THEN the next command is refused with the clear message (no T-2) and the log names the path", async () => {
    const path = dbFile();
    const relais = startRelais({
      cmd: ["npm", "start", "--silent"],
      env: shellEnv({ DATABASE_URL: `file:${path}`, LOG_LEVEL: "warn" }),
      openStdin: true,
      group: true,
      cleanups,
    });
    const stdin = relais.child.stdin!;
    stdin.write("/ticket nouveau Imprimante bloquée\n");
    await relais.waitFor("T-1 ouvert", 40_000, "stdout");
    unlinkSync(path);
    stdin.write("/ticket nouveau VPN coupé\n");
    await relais.waitFor("base de données est indisponible", 40_000, "stdout");
    stdin.end();
    // It cannot flush its outbox at exit: the exit code says so, and nothing reads as a crash.
    expect(await relais.exited).toBe(1);
    expect(relais.stderr()).not.toContain("could not start");
    expect(relais.stdout()).not.toContain("T-2");
    const lost = relais
      .stderr()
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as { msg: string; path?: string })
      .find((l) => l.msg.startsWith("database file lost"));
    expect(lost?.path).toBe(path);
  });
});
