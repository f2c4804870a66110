/**
 * One unit of work (issue 14): what a command or a timed job writes — its record, its timeline
 * events, its outbox posts, its jobs — commits together or not at all. The domain asks for it
 * through this port; the store gives it a database transaction that every repository joins while
 * the work runs (src/store/ambient-transaction.ts).
 */
export interface UnitOfWork {
  /**
   * Runs `work` as one unit: all its writes or none. A unit opened inside another joins it. `work`
   * may run more than once (a transient database error retries the whole unit), so it only reads
   * and writes through repositories: anything else goes to `afterCommit`.
   */
  run<T>(work: () => Promise<T>): Promise<T>;
  /**
   * Does `action` once the unit around this call has committed (at once when there is none): what
   * talks to a platform (opening an incident room) never holds the database. Its failure is the
   * action's own business: the unit is already committed.
   */
  afterCommit(action: () => Promise<unknown>): void;
  /** Resolves once every after-commit action started so far has ended (shutdown, tests). */
  settled(): Promise<void>;
}

/** No transaction at all: each write commits alone (unit tests of code that needs none). */
export const NO_UNIT: UnitOfWork = {
  run: (work) => work(),
  afterCommit: (action) => void action(),
  settled: () => Promise.resolve(),
};
