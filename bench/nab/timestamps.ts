/**
 * NAB timestamps: `YYYY-MM-DD HH:MM:SS` in the data files, with `.ffffff` in the windows file.
 * They carry no time zone (NAB's AWS files are in US local time), so they are read as naive
 * wall-clock times and mapped to milliseconds as if they were UTC. That keeps the order of the
 * rows and makes equal strings equal numbers, which is all the scorer and detector need.
 */
const NAB_TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?$/;

/** Milliseconds for a NAB timestamp, or `undefined` when the text is not one. */
export function parseNabTimestamp(text: string): number | undefined {
  const m = NAB_TIMESTAMP.exec(text.trim());
  if (m === null) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map((s) => Number(s ?? '0')) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const fraction = m[7] === undefined ? 0 : Number(`0.${m[7]}`);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60)
    return undefined;
  const ms = Date.UTC(year, month - 1, day, hour, minute, second) + Math.round(fraction * 1000);
  // Date.UTC rolls 2014-02-30 over into March; a real calendar date round-trips.
  const check = new Date(ms);
  if (check.getUTCDate() !== day || check.getUTCMonth() !== month - 1) return undefined;
  return ms;
}
