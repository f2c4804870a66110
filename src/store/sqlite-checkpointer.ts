import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";

/**
 * The checkpointer's thread: its own connection to the file, a passive checkpoint per message. Plain
 * JavaScript from a string (an ES module, as the package is), so src/ under tsx and dist/ run the
 * same code without a separate build entry.
 */
const SOURCE = `
import { parentPort, workerData } from "node:worker_threads";
const { default: Database } = await import(workerData.driver);
const db = new Database(workerData.path, { timeout: 5000 });
parentPort.on("message", (id) => {
  try {
    const [result] = db.pragma("wal_checkpoint(PASSIVE)");
    parentPort.postMessage({ id, pages: Math.max(0, Number(result?.checkpointed ?? 0)) });
  } catch (e) {
    parentPort.postMessage({ id, error: String(e?.message ?? e) });
  }
});
`;

/**
 * SQLite's write-ahead log checkpointed from a thread of its own (issue 16). On the store's
 * connection a passive checkpoint copies the log's pages into the database file with the event loop
 * held: 4–15 ms each in the Slack bench (p50 4.5 ms), four times a second, which the acks of a burst
 * arriving meanwhile waited for. From another connection it holds nobody: a passive checkpoint
 * waits for no reader or writer, and the store's commits go on appending to the log meanwhile. The
 * thread starts at the first checkpoint and ends with the store.
 */
export class SqliteCheckpointer {
  private worker: Worker | undefined;
  private next = 0;
  private closed = false;
  private readonly waiting = new Map<number, { resolve: (pages: number) => void; reject: (e: Error) => void }>();

  constructor(private readonly path: string) {}

  /** One passive checkpoint; the pages of the log now in the database file (none once closed). */
  checkpoint(): Promise<number> {
    if (this.closed) return Promise.resolve(0);
    const worker = this.started();
    const id = this.next++;
    return new Promise<number>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      worker.postMessage(id);
    });
  }

  /** Ends the thread (and its connection); a checkpoint under way is refused. */
  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await worker.terminate();
    this.fail(new Error("checkpointer closed"));
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const driver = pathToFileURL(createRequire(import.meta.url).resolve("better-sqlite3")).href;
    const worker = new Worker(SOURCE, { eval: true, workerData: { path: this.path, driver } });
    worker.unref(); // never what keeps the process alive
    worker.on("message", (m: { id: number; pages?: number; error?: string }) => {
      const w = this.waiting.get(m.id);
      this.waiting.delete(m.id);
      if (m.error !== undefined) w?.reject(new Error(m.error));
      else w?.resolve(m.pages ?? 0);
    });
    // A thread that died (its connection could not open) refuses what it was asked; the next
    // checkpoint starts another.
    const died = (e: Error) => {
      if (this.worker === worker) this.worker = undefined;
      this.fail(e);
    };
    worker.on("error", died);
    worker.on("exit", (code) => died(new Error(`checkpointer exited (${code})`)));
    this.worker = worker;
    return worker;
  }

  private fail(e: Error): void {
    for (const w of this.waiting.values()) w.reject(e);
    this.waiting.clear();
  }
}
