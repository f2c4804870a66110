import { describe, expect, it } from "vitest";
import { parseEnv } from "../../src/config/env.ts";

/** The message parseEnv refuses `env` with (fails the test when it accepts it). */
function refusal(env: NodeJS.ProcessEnv): string {
  try {
    parseEnv(env);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error(`expected ${JSON.stringify(env)} to be refused`);
}

describe("parseEnv", () => {
  it("fills in the defaults for an empty environment", () => {
    const env = parseEnv({});
    expect(env).toMatchObject({
      DATABASE_URL: "file:./data/relais.db",
      LOG_LEVEL: "warn",
      PORT: 3000,
      RELAIS_TICK_MS: 1000,
      RELAIS_LEASE_MS: 60_000,
    });
    expect(env.RELAIS_POLICY).toMatch(/\/config\/policy\.yaml$/);
    expect(env.RELAIS_LANG).toBeUndefined();
    expect(env.SLACK_BOT_TOKEN).toBeUndefined();
    expect(env.DISCORD_TOKEN).toBeUndefined();
  });

  it("reads the values given, numbers from text, trimmed", () => {
    const env = parseEnv({
      DATABASE_URL: " postgres://relais@db/relais ",
      RELAIS_LANG: "en",
      LOG_LEVEL: "debug",
      PORT: "8080",
      RELAIS_TICK_MS: "250",
      RELAIS_LEASE_MS: "5000",
      SLACK_BOT_TOKEN: " xoxb-1 ",
      SLACK_API_URL: "http://127.0.0.1:4000/api/",
    });
    expect(env).toMatchObject({
      DATABASE_URL: "postgres://relais@db/relais",
      RELAIS_LANG: "en",
      LOG_LEVEL: "debug",
      PORT: 8080,
      RELAIS_TICK_MS: 250,
      RELAIS_LEASE_MS: 5000,
      SLACK_BOT_TOKEN: "xoxb-1",
      SLACK_API_URL: "http://127.0.0.1:4000/api/",
    });
  });

  it("reads RELAIS_EXPECT_DATABASE as a flag (off by default) and refuses anything else naming it", () => {
    expect(parseEnv({}).RELAIS_EXPECT_DATABASE).toBe(false);
    expect(parseEnv({ RELAIS_EXPECT_DATABASE: "1" }).RELAIS_EXPECT_DATABASE).toBe(true);
    expect(parseEnv({ RELAIS_EXPECT_DATABASE: "0" }).RELAIS_EXPECT_DATABASE).toBe(false);
    expect(refusal({ RELAIS_EXPECT_DATABASE: "yes" })).toContain("RELAIS_EXPECT_DATABASE");
  });

  it("treats an empty secret as not set", () => {
    expect(parseEnv({ SLACK_BOT_TOKEN: "", DISCORD_TOKEN: "   ", RELAIS_FORM_KEY: " " })).toMatchObject({
      SLACK_BOT_TOKEN: undefined,
      DISCORD_TOKEN: undefined,
      RELAIS_FORM_KEY: undefined,
    });
  });

  it("reads a form key of 32 characters or more", () => {
    expect(parseEnv({ RELAIS_FORM_KEY: ` ${"k".repeat(32)} ` }).RELAIS_FORM_KEY).toBe("k".repeat(32));
  });

  it.each([
    ["PORT", "abc"],
    ["PORT", "70000"],
    ["PORT", "30.5"],
    ["RELAIS_TICK_MS", "10"],
    ["RELAIS_LEASE_MS", "100"],
    ["LOG_LEVEL", "verbose"],
    ["RELAIS_LANG", "de"],
    ["SLACK_API_URL", "not a url"],
    ["DATABASE_URL", "  "],
    ["RELAIS_FORM_KEY", "too-short"],
  ])("refuses %s=%j and names the variable", (name, value) => {
    const message = refusal({ [name]: value });
    expect(message).toMatch(/^Invalid environment:\n/);
    expect(message).toContain(`  - ${name}: `);
  });

  it("lists every invalid variable at once", () => {
    const message = refusal({ PORT: "-1", LOG_LEVEL: "loud" });
    expect(message.split("\n").slice(1).sort()).toEqual([
      expect.stringMatching(/^ {2}- LOG_LEVEL: /),
      expect.stringMatching(/^ {2}- PORT: /),
    ]);
  });
});
