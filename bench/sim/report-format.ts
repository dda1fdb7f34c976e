/** Text and number formatting for the HTML report. Pure and deterministic. */

const XML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML and SVG, in element content and in quoted attributes alike. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => XML_ESCAPES[c] ?? c);
}

/** Scenario minutes as `h:mm` (`90` → `1:30`); with `withSeconds`, `h:mm:ss`. */
export function formatClock(minute: number, withSeconds = false): string {
  const totalSeconds = Math.round(minute * 60);
  const sign = totalSeconds < 0 ? '-' : '';
  const abs = Math.abs(totalSeconds);
  const hours = Math.floor(abs / 3600);
  const minutes = Math.floor((abs % 3600) / 60);
  const clock = `${sign}${hours}:${String(minutes).padStart(2, '0')}`;
  return withSeconds ? `${clock}:${String(abs % 60).padStart(2, '0')}` : clock;
}

/** `digits` decimals, or `—` for null and non-finite values. */
export function formatFixed(value: number | null, digits: number): string {
  return value === null || !Number.isFinite(value) ? '—' : value.toFixed(digits);
}

/** USD with cents, or four decimals below one dollar. */
export function formatUsd(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return '—';
  return `$${value.toFixed(Math.abs(value) >= 1 ? 2 : 4)}`;
}

/** A coordinate rounded to 0.1 px, keeping the SVG small and the output stable. */
export function px(value: number): string {
  const rounded = Math.round(value * 10) / 10;
  return Object.is(rounded, -0) ? '0' : String(rounded);
}
