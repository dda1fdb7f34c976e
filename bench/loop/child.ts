import { spawn } from 'node:child_process';
import { LoopBenchChildError } from './errors.js';

export interface ChildRun {
  readonly stdout: string;
  /** Wall time from spawn to exit, in milliseconds. */
  readonly wallMillis: number;
}

/** Runs a command to completion and times it; rejects on a non-zero exit, with the tail of stderr. */
export function runChild(
  command: string,
  args: readonly string[],
  options: { readonly cwd: string; readonly env?: NodeJS.ProcessEnv },
): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', (error) =>
      reject(new LoopBenchChildError(`${command} could not start`, { cause: error })),
    );
    child.on('close', (code, signal) => {
      const wallMillis = performance.now() - started;
      if (code === 0) resolve({ stdout, wallMillis });
      else {
        const tail = stderr.trim().split('\n').slice(-5).join('\n');
        const how = signal ? `signal ${signal}` : `exit code ${code}`;
        reject(new LoopBenchChildError(`${command} ${args.join(' ')} failed with ${how}:\n${tail}`));
      }
    });
  });
}

/** Middle value (mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
