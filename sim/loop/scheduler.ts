/**
 * A cooperative scheduler over simulated time. Workflow executions run as ordinary async
 * code; whenever one needs time to pass (a Wait state) it sleeps on the scheduler. The
 * driver advances the clock only when every execution is asleep or done, so a bake of
 * five simulated minutes costs no wall time and the result does not depend on wall speed.
 */
export class SimScheduler {
  private running = 0;
  private sleepers: { at: number; wake: () => void }[] = [];
  private idleWaiters: (() => void)[] = [];

  /** Marks a new unit of work (an execution) as running until `done()` is called. */
  begin(): void {
    this.running++;
  }

  /** Marks a unit of work as finished. */
  done(): void {
    this.running--;
    this.notifyIfIdle();
  }

  /** Suspends the caller until the driver has advanced the clock to `at`. */
  sleepUntil(at: number): Promise<void> {
    return new Promise((resolve) => {
      this.sleepers.push({ at, wake: resolve });
      this.running--;
      this.notifyIfIdle();
    });
  }

  /** The earliest time a sleeper wants to wake at, if any. */
  nextWake(): number | undefined {
    let min: number | undefined;
    for (const s of this.sleepers) if (min === undefined || s.at < min) min = s.at;
    return min;
  }

  /** Wakes every sleeper whose time has come (the clock is at `now`). */
  wake(now: number): void {
    const due = this.sleepers.filter((s) => s.at <= now);
    if (due.length === 0) return;
    this.sleepers = this.sleepers.filter((s) => s.at > now);
    for (const s of due) {
      this.running++;
      s.wake();
    }
  }

  /** Resolves once nothing is running: every execution is asleep or finished. */
  async idle(): Promise<void> {
    // Let freshly scheduled work start before deciding that nothing is running.
    await new Promise((resolve) => setImmediate(resolve));
    if (this.running === 0) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  get active(): number {
    return this.running + this.sleepers.length;
  }

  private notifyIfIdle(): void {
    if (this.running !== 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}
