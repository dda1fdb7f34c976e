import { InvalidEventError } from './errors.js';

/** Small structural checks for events; each failure names the path that is wrong. */

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function requireRecord(value: unknown, path: string): Record<string, unknown> {
  if (!isRecord(value)) throw new InvalidEventError(`${path} must be an object; got ${describe(value)}`);
  return value;
}

export function requireString(value: unknown, path: string): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new InvalidEventError(`${path} must be a non-empty string; got ${describe(value)}`);
  }
  return value;
}

export function requireNumber(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new InvalidEventError(`${path} must be a finite number; got ${describe(value)}`);
  }
  return value;
}

export function requireBoolean(value: unknown, path: string): boolean {
  if (typeof value !== 'boolean')
    throw new InvalidEventError(`${path} must be a boolean; got ${describe(value)}`);
  return value;
}

export function requireOneOf<T extends string>(value: unknown, allowed: readonly T[], path: string): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new InvalidEventError(`${path} must be one of ${allowed.join(', ')}; got ${describe(value)}`);
  }
  return value as T;
}

export function requireIsoTime(value: unknown, path: string): string {
  const text = requireString(value, path);
  if (Number.isNaN(Date.parse(text)))
    throw new InvalidEventError(`${path} must be an ISO-8601 time; got ${text}`);
  return text;
}

export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string')
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}
