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
 * thread costs about 10 MiB of resident memory, so it lives only while there is work: it starts at
 * a checkpoint and ends `idleMs` after the last one (a quiet helpdesk gives the memory back), or
 * with the store.
 */
export class SqliteCheckpointer {
  private worker: Worker | undefined;
  private next = 0;
  private closed = false;
  private idle: NodeJS.Timeout | undefined;
  /** Checkpoints asked for and not answered, with the thread each was asked of. */
  private readonly waiting = new Map<
    number,
    { worker: Worker; resolve: (pages: number) => void; reject: (e: Error) => void }
  >();

  constructor(
    private readonly path: string,
    private readonly idleMs = 10_000,
  ) {}

  /** One passive checkpoint; the pages of the log now in the database file (none once closed). */
  checkpoint(): Promise<number> {
    if (this.closed) return Promise.resolve(0);
    const worker = this.started();
    const id = this.next++;
    clearTimeout(this.idle);
    return new Promise<number>((resolve, reject) => {
      this.waiting.set(id, { worker, resolve, reject });
      worker.postMessage(id);
    }).finally(() => {
      if (this.waiting.size > 0 || this.worker !== worker) return;
      clearTimeout(this.idle);
      this.idle = setTimeout(() => void this.stopThread(), this.idleMs).unref();
    });
  }

  /** Whether the thread is running (tests). */
  get running(): boolean {
    return this.worker !== undefined;
  }

  /** Ends the thread (and its connection); a checkpoint under way is refused. */
  async close(): Promise<void> {
    this.closed = true;
    await this.stopThread();
  }

  private async stopThread(): Promise<void> {
    clearTimeout(this.idle);
    const worker = this.worker;
    this.worker = undefined;
    if (!worker) return;
    await worker.terminate();
    this.fail(worker, new Error("checkpointer stopped"));
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
      this.fail(worker, e);
    };
    worker.on("error", died);
    worker.on("exit", (code) => died(new Error(`checkpointer exited (${code})`)));
    this.worker = worker;
    return worker;
  }

  /** Refuses what `worker` was asked and will not answer (a thread stopped, or another started since). */
  private fail(worker: Worker, e: Error): void {
    for (const [id, w] of this.waiting)
      if (w.worker === worker) {
        this.waiting.delete(id);
        w.reject(e);
      }
  }
}
