/**
 * The load generator in its own process (as Slack is another machine): on each message from the
 * parent, sends a burst of concurrent signed `/ticket` requests and answers with the ack times.
 */
import { sendToBot } from "../test/support/fake-slack.ts";

interface Burst {
  url: string;
  secret: string;
  concurrency: number;
  first: number;
  responseUrl: string;
}

process.on("message", (m: Burst) => {
  void (async () => {
    const results = await Promise.all(
      Array.from({ length: m.concurrency }, (_, k) => {
        const i = m.first + k;
        const form = {
          command: "/ticket",
          text: `Imprimante bloquée ${i}`,
          user_id: "U1",
          user_name: "bench",
          channel_id: "C1",
          channel_name: "support",
          team_id: "T1",
          response_url: `${m.responseUrl}${i}`,
          trigger_id: `t${i}`,
        };
        return sendToBot(m.url, form, { secret: m.secret });
      }),
    );
    process.send!({ samples: results.map((r) => r.ms), failed: results.filter((r) => r.status !== 200).length });
  })();
});
