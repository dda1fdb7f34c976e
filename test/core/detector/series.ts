/** Deterministic test series: a seeded normal generator and 1- or 5-minute timestamps. */
export function seededNormal(seed: number): () => number {
  let state = seed >>> 0;
  const uniform = () => {
    // mulberry32
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => {
    const u = Math.max(uniform(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform());
  };
}

export const START_MS = Date.UTC(2024, 0, 1);

/** Points every `intervalMinutes` from {@link START_MS}. */
export function points(values: readonly number[], intervalMinutes = 5): { t: number; v: number }[] {
  return values.map((v, i) => ({ t: START_MS + i * intervalMinutes * 60_000, v }));
}

/** `n` values of level + sd·N(0, 1). */
export function noise(n: number, seed: number, level = 100, sd = 5): number[] {
  const normal = seededNormal(seed);
  return Array.from({ length: n }, () => level + sd * normal());
}
