import { readFileSync } from "node:fs";
import { DateTime, IANAZone } from "luxon";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { durationMillis, parseDuration, parseTarget, type PolicyDuration, type Target } from "../sla/duration.ts";
import { PRIORITIES, type Priority } from "../tickets/priority.ts";
import type { Actor } from "../timeline/events.ts";

/** The policy file (config/policy.yaml): SLA grid, business hours and team rules, validated here. */

const hhmm = /^([01]\d|2[0-3]):[0-5]\d$/;
const range = z
  .string()
  .regex(/^\d\d:\d\d-\d\d:\d\d$/, "expected HH:MM-HH:MM")
  .refine((r) => r.split("-").every((p) => hhmm.test(p)), "hours must be 00:00 to 23:59")
  .refine((r) => {
    const [a, b] = r.split("-");
    return a! < b!;
  }, "a range must end after it starts");

const duration = z.string().transform((s, ctx): PolicyDuration => {
  const d = parseDuration(s);
  if (!d) {
    ctx.addIssue({ code: "custom", message: `"${s}" is not a duration (e.g. 30m, 2h, 2bd, 1-2bd)` });
    return z.NEVER;
  }
  return d;
});

const target = z.string().transform((s, ctx): Target => {
  const d = parseTarget(s);
  if (!d) {
    ctx.addIssue({ code: "custom", message: `"${s}" is not a duration or ASAP` });
    return z.NEVER;
  }
  return d;
});

const slaRow = z.strictObject({
  clock: z.enum(["24/7", "business"]),
  firstResponse: duration,
  updateEvery: duration,
  resolution: target,
  warnBefore: duration,
});

/** An actor id as Relais sees it: the platform, then that platform's user id (or the shell user's name). */
const ACTOR_ID = /^(slack:[UW][A-Z0-9]{2,}|discord:\d{17,20}|shell:[\p{L}\p{N}._-]{1,80})$/u;
const ACTOR_ID_HINT = 'expected "slack:U0123ABCD", "discord:123456789012345678" or "shell:ana"';

const weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;

export const policySchema = z.strictObject({
  language: z.enum(["fr", "en"]).default("fr"),
  timezone: z.string().refine((tz) => IANAZone.isValidZone(tz), "not a known IANA time zone"),
  businessHours: z
    .strictObject(
      Object.fromEntries(weekdays.map((d) => [d, z.array(range).default([])])) as Record<
        (typeof weekdays)[number],
        z.ZodDefault<z.ZodArray<typeof range>>
      >,
    )
    .refine((h) => Object.values(h).some((r) => r.length > 0), "at least one day must have business hours")
    .superRefine((h, ctx) => {
      // Ranges in order and apart, or business minutes would be counted twice.
      for (const [day, ranges] of Object.entries(h)) {
        const sorted = ranges.map((r) => r.split("-") as [string, string]);
        for (let i = 1; i < sorted.length; i++) {
          if (sorted[i]![0] < sorted[i - 1]![1]) {
            ctx.addIssue({ code: "custom", path: [day, i], message: "ranges must be in order and must not overlap" });
          }
        }
      }
    }),
  holidays: z
    .array(z.union([z.string(), z.date()]).transform((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v)))
    .pipe(
      z.array(
        z
          .string()
          .refine(
            (d) => /^\d{4}-\d{2}-\d{2}$/.test(d) && DateTime.fromISO(d).isValid,
            "expected a real date as YYYY-MM-DD",
          ),
      ),
    )
    .default([]),
  cutoff: z.string().regex(hhmm, "expected HH:MM").nullable().default(null),
  sla: z.strictObject({ P1: slaRow, P2: slaRow, P3: slaRow }),
  defaultPriority: z.enum(PRIORITIES).default("P3"),
  pauseWhileWaiting: z.array(z.enum(["requester", "third-party", "validation"])).default(["requester"]),
  autoCloseAfter: duration,
  escalation: z.strictObject({
    channel: z.string().min(1),
    followUp: z.strictObject({ incident: duration, vip: duration, standard: duration }),
  }),
  managers: z.strictObject({
    users: z.array(z.string().regex(ACTOR_ID, ACTOR_ID_HINT)).default([]),
    role: z
      .string()
      .regex(/^\d{17,20}$/, "expected a Discord role id (17 to 20 digits), not its name")
      .nullable()
      .default(null),
  }),
  repetition: z.strictObject({ count: z.number().int().min(2), window: duration }),
  outages: z
    .strictObject({
      reminderBefore: z.strictObject({ P1: duration, P2: duration, P3: duration }),
      /** Seed 002, block 5: offered only where policy allows, with its conditions; null for none. */
      compensation: z.string().nullable().default(null),
      /** A timed message more than this late says so (after downtime). */
      lateAfter: duration,
      /** A follow-up's owner is reminded this long before its due date ("1bd": one business day). */
      followUpReminderBefore: duration.default(parseDuration("1bd")!),
      /** The priority of a follow-up ticket: preventive work, not a service down (seed 002: P3). */
      followUpPriority: z.enum(PRIORITIES).default("P3"),
    })
    .default({
      reminderBefore: { P1: parseDuration("10m")!, P2: parseDuration("30m")!, P3: parseDuration("1h")! },
      compensation: null,
      lateAfter: parseDuration("2m")!,
      followUpReminderBefore: parseDuration("1bd")!,
      followUpPriority: "P3",
    }),
  /** Posts that do not go out: after this long unsent, the owner is told (the outbox keeps trying). */
  delivery: z.strictObject({ alertAfter: duration }).default({ alertAfter: parseDuration("10m")! }),
});

/**
 * A warning must come before its deadline: `warnBefore` shorter than each deadline of its row
 * (first response, update, resolution), or the owner is warned at the start, or never usefully.
 */
function warningsBeforeDeadlines(p: z.output<typeof policySchema>, ctx: z.RefinementCtx): void {
  const dayMinutes = shortestBusinessDay(p.businessHours);
  for (const priority of PRIORITIES) {
    const row = p.sla[priority];
    // A "bd" is a business day on a business clock (its shortest opening), 24 h on a 24/7 one.
    const minutes = (d: PolicyDuration, which: "min" | "max") =>
      d.unit === "bd" && row.clock === "business" ? d[which] * dayMinutes : durationMillis(d, which) / 60_000;
    const warn = minutes(row.warnBefore, "max");
    for (const field of ["firstResponse", "updateEvery", "resolution"] as const) {
      const due = row[field];
      if (due === "ASAP" || warn < minutes(due, "min")) continue;
      ctx.addIssue({
        code: "custom",
        path: ["sla", priority, "warnBefore"],
        message: `${row.warnBefore.source} is not shorter than ${field} (${due.source}): the warning would come at the start`,
      });
    }
  }
}

/** Minutes of the shortest day that has business hours. */
function shortestBusinessDay(hours: Record<Weekday, string[]>): number {
  const days = Object.values(hours)
    .filter((r) => r.length > 0)
    .map((ranges) => ranges.reduce((sum, r) => sum + rangeMinutes(r), 0));
  return Math.min(...days);
}

function rangeMinutes(range: string): number {
  const [a, b] = range.split("-").map((t) => {
    const [h, m] = t.split(":").map(Number);
    return h! * 60 + m!;
  });
  return b! - a!;
}

const checkedPolicySchema = policySchema.superRefine(warningsBeforeDeadlines);

export type Policy = z.output<typeof policySchema>;
export type SlaRow = Policy["sla"][Priority];
export type Weekday = (typeof weekdays)[number];
export const WEEKDAYS = weekdays;

export class PolicyError extends Error {
  override name = "PolicyError";
}

/** Validates a parsed policy; the error names each bad field by its path (e.g. `sla.P2.firstResponse`). */
/** A manager (rule 8): listed by id in the policy, or holding its Discord role. */
export function isManager(policy: Pick<Policy, "managers">, actor: Actor): boolean {
  const m = policy.managers;
  return m.users.includes(actor.id) || (m.role !== null && (actor.roles ?? []).includes(m.role));
}

export function parsePolicy(raw: unknown, source = "policy"): Policy {
  const result = checkedPolicySchema.safeParse(raw);
  if (result.success) return result.data;
  const lines = result.error.issues.map((i) => `  - ${i.path.join(".") || "(root)"}: ${i.message}`);
  throw new PolicyError(`Invalid policy in ${source}:\n${lines.join("\n")}`);
}

export function loadPolicy(path: string): Policy {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new PolicyError(`Cannot read the policy file ${path}: ${(e as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (e) {
    throw new PolicyError(`The policy file ${path} is not valid YAML: ${(e as Error).message}`);
  }
  return parsePolicy(raw, path);
}
