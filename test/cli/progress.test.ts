import { describe, expect, it } from 'vitest';
import { createProgress, type ProgressOptions } from '../../sim/cli/progress.js';

/** A progress line writer on a clock the test moves (milliseconds). */
function setup(options: Partial<ProgressOptions> = {}) {
  let nowMillis = 1_000;
  const written: string[] = [];
  const progress = createProgress({
    label: 'bench',
    now: () => nowMillis,
    write: (text) => written.push(text),
    isTty: false,
    ...options,
  });
  return {
    progress,
    written,
    at(seconds: number) {
      nowMillis = 1_000 + seconds * 1000;
    },
  };
}

describe('CLI progress', () => {
  it('stays quiet during the first 2 seconds', () => {
    const { progress, written, at } = setup();
    at(0.5);
    progress.update(1, 10, 'runs');
    at(1.99);
    progress.update(2, 10, 'runs');
    progress.finish();

    expect(written).toEqual([]);
  });

  it('then writes at most one line per second, one line each when not a terminal', () => {
    const { progress, written, at } = setup();
    at(2);
    progress.update(3, 12, 'runs');
    at(2.5);
    progress.update(4, 12, 'runs');
    at(3);
    progress.update(5, 12, 'runs');
    at(3.9);
    progress.update(6, 12, 'runs');
    at(4.25);
    progress.update(12, 12, 'runs');
    progress.finish();

    expect(written).toEqual([
      'bench: 3/12 runs (25 %, 2.0 s)\n',
      'bench: 5/12 runs (41 %, 3.0 s)\n',
      'bench: 12/12 runs (100 %, 4.3 s)\n',
    ]);
  });

  it('rewrites one line in place on a terminal and ends it with a newline', () => {
    const { progress, written, at } = setup({ isTty: true });
    at(2.1);
    progress.update(30, 90, 'minutes');
    at(3.2);
    progress.update(60, 90, 'minutes');
    progress.finish();

    expect(written).toEqual([
      '\rbench: 30/90 minutes (33 %, 2.1 s)',
      '\rbench: 60/90 minutes (66 %, 3.2 s)',
      '\n',
    ]);
  });

  it('writes no closing newline on a terminal when nothing was shown', () => {
    const { progress, written, at } = setup({ isTty: true });
    at(1);
    progress.update(1, 2, 'minutes');
    progress.finish();

    expect(written).toEqual([]);
  });

  it('honours quietSeconds and everySeconds, and a zero total', () => {
    const { progress, written, at } = setup({ quietSeconds: 0, everySeconds: 5 });
    at(0);
    progress.update(0, 0, 'runs');
    at(4);
    progress.update(1, 0, 'runs');
    at(5);
    progress.update(2, 0, 'runs');

    expect(written).toEqual(['bench: 0/0 runs (0 %, 0.0 s)\n', 'bench: 2/0 runs (0 %, 5.0 s)\n']);
  });
});
