/**
 * The load generator in its own process (as Slack is another machine): on each message from the
 * parent, sends `bursts` bursts of `concurrency` concurrent signed `/ticket` requests, one every
 * `everyMs` whether or not the previous one was acknowledged (as people do), and answers with every
 * ack's time once all are in.
 */
import { sendToBot } from "../test/support/fake-slack.ts";

interface Load {
  url: string;
  secret: string;
  concurrency: number;
  first: number;
  responseUrl: string;
  /** One burst unless told; the next one `everyMs` after the previous one started. */
  bursts?: number;
  everyMs?: number;
}

const one = (m: Load, i: number) =>
  sendToBot(
    m.url,
    {
      command: "/ticket",
      text: `Imprimante bloquée ${i}`,
      user_id: "U1",
      user_name: "bench",
      channel_id: "C1",
      channel_name: "support",
      team_id: "T1",
      response_url: `${m.responseUrl}${i}`,
      trigger_id: `t${i}`,
    },
    { secret: m.secret },
  );

process.on("message", (m: Load) => {
  void (async () => {
    const bursts: Promise<{ status: number; ms: number }[]>[] = [];
    const t0 = performance.now();
    for (let b = 0; b < (m.bursts ?? 1); b++) {
      const due = t0 + b * (m.everyMs ?? 0);
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const first = m.first + b * m.concurrency;
      bursts.push(Promise.all(Array.from({ length: m.concurrency }, (_, k) => one(m, first + k))));
    }
    const results = (await Promise.all(bursts)).flat();
    process.send!({ samples: results.map((r) => r.ms), failed: results.filter((r) => r.status !== 200).length });
  })();
});
