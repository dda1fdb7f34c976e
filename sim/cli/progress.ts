/**
 * Progress on stderr for runs that take more than a moment: nothing during the first
 * `quietSeconds`, then at most one update every `everySeconds` of wall time (rewritten in
 * place on a terminal, one line each otherwise), and a final line when the run is done.
 */
export interface ProgressOptions {
  readonly label: string;
  readonly write?: (text: string) => void;
  readonly isTty?: boolean;
  readonly now?: () => number;
  readonly quietSeconds?: number;
  readonly everySeconds?: number;
}

export interface Progress {
  update(done: number, total: number, unit: string): void;
  finish(): void;
}

export function createProgress(options: ProgressOptions): Progress {
  const write = options.write ?? ((text: string) => process.stderr.write(text));
  const tty = options.isTty ?? process.stderr.isTTY === true;
  const now = options.now ?? (() => performance.now());
  const started = now();
  const quietMs = (options.quietSeconds ?? 2) * 1000;
  const everyMs = (options.everySeconds ?? 1) * 1000;
  let lastShown = Number.NEGATIVE_INFINITY;
  let shown = false;
  return {
    update(done, total, unit) {
      const t = now();
      if (t - started < quietMs || t - lastShown < everyMs) return;
      lastShown = t;
      shown = true;
      const percent = total > 0 ? Math.floor((100 * done) / total) : 0;
      const line = `${options.label}: ${done}/${total} ${unit} (${percent} %, ${((t - started) / 1000).toFixed(1)} s)`;
      write(tty ? `\r${line}` : `${line}\n`);
    },
    finish() {
      if (shown && tty) write('\n');
    },
  };
}
