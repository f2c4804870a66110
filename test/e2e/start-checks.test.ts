import { cleanEnv } from "../support/clean-env.ts";
import { existsSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FakeDiscordApi } from "../support/discord-api.ts";
import { FakeSlack } from "../support/fake-slack.ts";
import { freePort, tempDir } from "../helpers.ts";
import { cleanupsAfterEach } from "../support/cleanups.ts";
import { runRelais } from "../support/relais-process.ts";

const root = new URL("../../", import.meta.url).pathname;
const cleanups = cleanupsAfterEach();

function dir(): string {
  const { dir, cleanup } = tempDir();
  cleanups.push(cleanup);
  return dir;
}

/** Runs `cmd` (npm start by default) until it exits, with `input` on stdin. */
function run(env: NodeJS.ProcessEnv, opts: { input?: string; cmd?: string[]; cwd?: string } = {}) {
  return runRelais({
    env,
    cmd: opts.cmd ?? ["npm", "start", "--silent"],
    cwd: opts.cwd ?? root,
    input: opts.input ?? "",
    group: true,
    cleanups,
  });
}

describe("npm start: start right or say why", () => {
  it("GIVEN a Slack bot token that Slack refuses (auth.test: invalid_auth) THEN one line names SLACK_BOT_TOKEN and Slack's error, exit 1, never ready", async () => {
    const slack = await new FakeSlack().start();
    cleanups.push(() => slack.stop());
    slack.refuseToken("invalid_auth");
    const port = await freePort();
    const db = join(dir(), "relais.db");
    const { code, stdout, stderr } = await run(
      cleanEnv({
        DATABASE_URL: `file:${db}`,
        SLACK_BOT_TOKEN: "xoxb-revoked",
        SLACK_SIGNING_SECRET: "e2e-secret",
        SLACK_API_URL: slack.url,
        PORT: String(port),
      }),
    );
    expect(code).toBe(1);
    expect(stderr).toBe("Relais: SLACK_BOT_TOKEN refused by Slack (auth.test: invalid_auth); not starting\n");
    expect(stdout).toBe("");
    expect(slack.of("auth.test").map((c) => c.token)).toEqual(["xoxb-revoked"]);
    // Nothing listens on the port it was given, and no empty database was created.
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
    expect(existsSync(db)).toBe(false);
  });

  it("GIVEN an app-level token Slack refuses (apps.connections.open: invalid_auth, at SLACK_API_URL) THEN one line names SLACK_APP_TOKEN, exit 1, never ready", async () => {
    // The fake opens no socket until told where: apps.connections.open answers invalid_auth.
    const slack = await new FakeSlack().start();
    cleanups.push(() => slack.stop());
    const port = await freePort();
    const db = join(dir(), "relais.db");
    const { code, stdout, stderr } = await run(
      cleanEnv({
        DATABASE_URL: `file:${db}`,
        SLACK_BOT_TOKEN: "xoxb-ok",
        SLACK_APP_TOKEN: "xapp-revoked",
        SLACK_API_URL: slack.url,
        PORT: String(port),
      }),
    );
    expect(code).toBe(1);
    // The socket opens after the database (created here, and said): the refusal is the last line
    // people read (the JSON log lines, Bolt's own included, aside).
    const said = stderr
      .split("\n")
      .filter((l) => !l.startsWith("{"))
      .join("\n");
    expect(said).toBe(
      `Relais: no database at ${db} — created a new empty one\n` +
        "Relais: SLACK_APP_TOKEN refused by Slack (apps.connections.open: invalid_auth); not starting\n",
    );
    expect(stdout).toBe("");
    expect(slack.of("apps.connections.open").map((c) => c.token)).toEqual(["xapp-revoked"]);
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  });

  it("GIVEN a Discord token that Discord refuses (401) THEN one line names DISCORD_TOKEN and Discord's error, exit 1, never ready", async () => {
    const discord = await new FakeDiscordApi().start();
    cleanups.push(() => discord.stop());
    discord.fail(/^GET \/users\/@me$/, { status: 401, body: { message: "401: Unauthorized", code: 0 } });
    const db = join(dir(), "relais.db");
    const { code, stdout, stderr } = await run(
      cleanEnv({
        DATABASE_URL: `file:${db}`,
        DISCORD_TOKEN: "revoked-token",
        DISCORD_APPLICATION_ID: "123",
        DISCORD_API_URL: discord.api,
        PORT: String(await freePort()),
      }),
    );
    expect(code).toBe(1);
    expect(stderr).toBe("Relais: DISCORD_TOKEN refused by Discord (GET /users/@me: 401: Unauthorized); not starting\n");
    expect(stdout).toBe("");
    expect(existsSync(db)).toBe(false);
  });

  it("GIVEN DATABASE_URL=mysql://… THEN one line says what DATABASE_URL must be, exit 1, and nothing is created", async () => {
    // Once taken for a SQLite path, it made a folder named `mysql:` where npm start runs.
    const folder = join(root, "mysql:");
    rmSync(folder, { recursive: true, force: true });
    cleanups.push(() => rmSync(folder, { recursive: true, force: true }));
    const { code, stdout, stderr } = await run(cleanEnv({ DATABASE_URL: "mysql://relais@db:3306/relais" }), {
      input: "/ticket nouveau Imprimante\n",
    });
    expect(code).toBe(1);
    expect(stderr).toBe(
      "Invalid environment: DATABASE_URL: must be file:<path> (SQLite, e.g. file:./data/relais.db) or postgresql://user:password@host:5432/relais\n",
    );
    expect(stdout).toBe("");
    expect(existsSync(folder)).toBe(false);
  });

  it("GIVEN a .env file THEN its variables are used, and a variable set in the environment wins over it", async () => {
    const d = dir();
    const envFile = join(d, ".env");
    writeFileSync(
      envFile,
      [`DATABASE_URL=file:${join(d, "from-dotenv.db")}`, "RELAIS_LANG=en", "LOG_LEVEL=silent", ""].join("\n"),
    );
    const { code, stdout, stderr } = await run(cleanEnv({ RELAIS_ENV_FILE: envFile, RELAIS_LANG: "fr" }), {
      input: "/ticket nouveau Imprimante bloquée\n",
    });
    expect(stderr).toBe(`Relais: no database at ${join(d, "from-dotenv.db")} — created a new empty one\n`);
    expect(code).toBe(0);
    expect(existsSync(join(d, "from-dotenv.db"))).toBe(true);
    expect(stdout).toContain("T-1 ouvert"); // French: the environment's RELAIS_LANG, not the file's
  });

  it("GIVEN a .env in the working directory (what npm start runs: node dist/app/main.js) THEN it is read; none there is no message", async () => {
    const d = dir();
    writeFileSync(join(d, ".env"), `DATABASE_URL=file:${join(d, "here.db")}\nRELAIS_LANG=en\n`);
    const env = cleanEnv({});
    delete env.RELAIS_ENV_FILE;
    const withFile = await run(env, {
      cwd: d,
      cmd: ["node", join(root, "dist/app/main.js")],
      input: "/ticket new Printer jammed\n",
    });
    expect(withFile.stderr).toBe(`Relais: no database at ${join(d, "here.db")} — created a new empty one\n`);
    expect(withFile.stdout).toContain("T-1 opened");
    expect(withFile.code).toBe(0);
    const empty = dir();
    const without = await run(
      { ...env, DATABASE_URL: `file:${join(empty, "relais.db")}` },
      { cwd: empty, cmd: ["node", join(root, "dist/app/main.js")], input: "/ticket list\n" },
    );
    expect(without.code).toBe(0);
    expect(without.stderr).toBe(`Relais: no database at ${join(empty, "relais.db")} — created a new empty one\n`);
  });

  it("GIVEN RELAIS_ENV_FILE naming a file that is not there THEN one line says so, exit 1", async () => {
    const missing = join(dir(), "nope.env");
    const { code, stderr } = await run(cleanEnv({ RELAIS_ENV_FILE: missing }));
    expect(code).toBe(1);
    expect(stderr).toBe(`Relais: RELAIS_ENV_FILE names ${missing}, which does not exist; not starting\n`);
  });
});
