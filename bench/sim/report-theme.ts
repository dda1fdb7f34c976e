/** Colours and the inline stylesheet of the HTML report. */

/** Okabe–Ito colours, distinguishable with the common colour-vision deficiencies. */
const STRATEGY_COLORS: Readonly<Record<string, string>> = {
  none: '#7a7a7a',
  'target-tracking': '#e69f00',
  'scheduled-warmer': '#56b4e9',
  'static-rollback': '#009e73',
  micromotion: '#0050a0',
};
const FALLBACK_COLORS = ['#cc79a7', '#d55e00', '#8c564b', '#000000'] as const;

/** The colour of a strategy; unknown names get fallback colours by their position. */
export function strategyColor(name: string, index: number): string {
  return STRATEGY_COLORS[name] ?? FALLBACK_COLORS[index % FALLBACK_COLORS.length] ?? '#000000';
}

/** The strategy whose row and lines are emphasised. */
export const OWN_STRATEGY = 'micromotion';

export const REPORT_CSS = `
*{box-sizing:border-box}
body{margin:0;padding:24px 32px;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:#1c1c1c;background:#fff}
h1{font-size:24px;margin:0 0 4px}
h2{font-size:20px;margin:0 0 4px}
h3{font-size:16px;margin:24px 0 2px}
h4{font-size:13px;font-weight:600;margin:12px 0 2px;color:#333}
.meta,.note,.caption{color:#555;font-size:13px;margin:2px 0}
nav ol{margin:6px 0 0;padding-left:22px;columns:2}
.scenario{border-top:2px solid #d0d0d0;margin-top:28px;padding-top:18px;max-width:1240px}
.faults{margin:4px 0 10px;padding-left:20px;font-size:13px}
table.summary{border-collapse:collapse;font-size:13px;margin:10px 0 6px;font-variant-numeric:tabular-nums}
.summary th,.summary td{padding:4px 10px;border-bottom:1px solid #e3e3e3;text-align:right;white-space:nowrap}
.summary th{background:#f4f4f4;font-weight:600;vertical-align:bottom}
.summary th:first-child,.summary td:first-child{text-align:left}
.summary tr.own td{background:#e8f1fb;font-weight:600}
.swatch{display:inline-block;width:12px;height:12px;border-radius:2px;margin-right:6px;vertical-align:-1px}
.legend{display:flex;flex-wrap:wrap;gap:4px 18px;list-style:none;padding:6px 10px;margin:10px 0 0;background:#fafafa;border:1px solid #e6e6e6;border-radius:4px;font-size:13px;position:sticky;top:0;z-index:1}
.legend svg{vertical-align:-2px;margin-right:4px}
.legend .line-key{display:inline-block;width:22px;height:0;border-top:3px solid;margin-right:6px;vertical-align:3px}
.legend .slo-key{border-top:2px dashed #c62828}
.legend .fault-key{display:inline-block;width:16px;height:12px;background:rgba(214,39,40,.13);margin-right:6px;vertical-align:-1px}
.function{margin-top:8px}
svg.plot{display:block;width:100%;max-width:1200px;height:auto;font-family:inherit}
.plot text{font-size:11px;fill:#444}
.plot .axis line{stroke:#9a9a9a}
.plot .axis text.y{text-anchor:end}
.plot .axis text.x{text-anchor:middle}
.plot .grid line{stroke:#ececec}
.plot .fault rect{fill:rgba(214,39,40,.13)}
.plot .fault text{fill:#a31515;font-size:10px}
.plot .line{fill:none;stroke-width:1.5;stroke-linejoin:round;stroke-linecap:round;opacity:.9}
.plot .line.emphasis{stroke-width:2.6;opacity:1}
.plot .slo line{stroke:#c62828;stroke-width:1.5;stroke-dasharray:7 4}
.plot .slo text{fill:#c62828;font-weight:600;text-anchor:end;paint-order:stroke;stroke:#fff;stroke-width:3px}
.plot .clip-note{fill:#555;font-style:italic;text-anchor:end;paint-order:stroke;stroke:#fff;stroke-width:3px}
.plot .lane line{stroke:#efefef}
.plot .lane text{text-anchor:end;font-weight:600}
.plot .mark{stroke-width:1.2;stroke-linejoin:round}
.plot .mark-false{stroke-width:1.8}
`;
