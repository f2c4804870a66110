/** The fake Slack Web API in its own process, as Slack is remote: prints its URL, then serves. */
import { FakeSlack } from "../test/support/fake-slack.ts";

const slack = await new FakeSlack().start();
process.stdout.write(`${slack.url}\n`);
process.on("SIGTERM", () => void slack.stop().then(() => process.exit(0)));
