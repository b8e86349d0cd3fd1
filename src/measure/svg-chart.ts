/**
 * A speedup chart as a standalone SVG (no scripts, no external fonts), so it opens offline
 * in any browser and embeds in Markdown.
 */
import { amdahlSpeedup } from './amdahl.ts';
import type { ScaleReport } from './scale.ts';

/** Escapes text for SVG/HTML content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Options of {@link scaleChartSvg}. */
export interface ScaleChartOptions {
  /** Chart title. Default "Speedup by worker count". */
  readonly title?: string;
  /** Width and height in px. Default 640 × 400. */
  readonly width?: number;
  readonly height?: number;
}

/**
 * Draws measured speedup against worker count with the ideal line (speedup = workers), the
 * Amdahl fit's curve and a marker at the core count, past which workers share cores.
 *
 * @example writeFileSync('scale.svg', scaleChartSvg(report));
 */
export function scaleChartSvg(report: ScaleReport, options: ScaleChartOptions = {}): string {
  const width = options.width ?? 640;
  const height = options.height ?? 400;
  const margin = { left: 56, right: 24, top: 40, bottom: 48 };
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const maxWorkers = Math.max(...report.points.map((p) => p.workers), report.cores);
  const maxMeasured = Math.max(...report.points.map((p) => p.speedup));
  const maxSpeedup = Math.max(
    1,
    Math.ceil(Math.max(maxMeasured, Math.min(maxWorkers, report.cores + 1)) * 1.1),
  );
  const x = (workers: number): number => margin.left + ((workers - 1) / Math.max(1, maxWorkers - 1)) * plotW;
  const y = (speedup: number): number =>
    margin.top + plotH - (Math.min(speedup, maxSpeedup) / maxSpeedup) * plotH;
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
      'font-family="system-ui, sans-serif" font-size="12">',
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="${width / 2}" y="22" text-anchor="middle" font-size="15">${escapeXml(options.title ?? 'Speedup by worker count')}</text>`,
  );
  // Axes and grid.
  for (let s = 0; s <= maxSpeedup; s += Math.max(1, Math.round(maxSpeedup / 8))) {
    parts.push(
      `<line x1="${margin.left}" x2="${margin.left + plotW}" y1="${y(s)}" y2="${y(s)}" stroke="#eee"/>`,
      `<text x="${margin.left - 8}" y="${y(s) + 4}" text-anchor="end">${s}×</text>`,
    );
  }
  for (const p of report.points) {
    parts.push(
      `<text x="${x(p.workers)}" y="${margin.top + plotH + 18}" text-anchor="middle">${p.workers}</text>`,
    );
  }
  parts.push(
    `<line x1="${margin.left}" x2="${margin.left + plotW}" y1="${margin.top + plotH}" y2="${margin.top + plotH}" stroke="#333"/>`,
    `<line x1="${margin.left}" x2="${margin.left}" y1="${margin.top}" y2="${margin.top + plotH}" stroke="#333"/>`,
    `<text x="${margin.left + plotW / 2}" y="${height - 10}" text-anchor="middle">workers</text>`,
    `<text transform="translate(16 ${margin.top + plotH / 2}) rotate(-90)" text-anchor="middle">speedup</text>`,
  );
  // Core count: past this line workers share cores.
  if (report.cores < maxWorkers) {
    parts.push(
      `<line x1="${x(report.cores)}" x2="${x(report.cores)}" y1="${margin.top}" y2="${margin.top + plotH}" stroke="#999" stroke-dasharray="2 3"/>`,
      `<text x="${x(report.cores) + 4}" y="${margin.top + 12}" fill="#666">${report.cores} cores</text>`,
    );
  }
  // Ideal and Amdahl curves, sampled finely so the Amdahl curve bends smoothly.
  const ideal: string[] = [];
  const fitted: string[] = [];
  for (let i = 0; i <= 100; i++) {
    const workers = 1 + ((maxWorkers - 1) * i) / 100;
    ideal.push(`${x(workers).toFixed(1)},${y(workers).toFixed(1)}`);
    if (report.amdahl)
      fitted.push(
        `${x(workers).toFixed(1)},${y(amdahlSpeedup(report.amdahl.serialFraction, workers)).toFixed(1)}`,
      );
  }
  parts.push(`<polyline points="${ideal.join(' ')}" fill="none" stroke="#aaa" stroke-dasharray="6 4"/>`);
  if (report.amdahl) {
    parts.push(`<polyline points="${fitted.join(' ')}" fill="none" stroke="#e69f00" stroke-width="2"/>`);
  }
  const measured = report.points.map((p) => `${x(p.workers).toFixed(1)},${y(p.speedup).toFixed(1)}`);
  parts.push(`<polyline points="${measured.join(' ')}" fill="none" stroke="#0072b2" stroke-width="2"/>`);
  for (const p of report.points) {
    parts.push(
      `<circle cx="${x(p.workers).toFixed(1)}" cy="${y(p.speedup).toFixed(1)}" r="4" fill="#0072b2">` +
        `<title>${p.workers} workers: ${p.timeMs.toFixed(1)} ms, speedup ${p.speedup.toFixed(2)}×, efficiency ${(p.efficiency * 100).toFixed(0)}%</title></circle>`,
    );
  }
  // Legend.
  const legend: [string, string, string][] = [
    ['measured', '#0072b2', ''],
    ['ideal (speedup = workers)', '#aaa', '6 4'],
  ];
  if (report.amdahl) {
    legend.push([
      `Amdahl fit, serial fraction ${(report.amdahl.serialFraction * 100).toFixed(1)}%`,
      '#e69f00',
      '',
    ]);
  }
  legend.forEach(([label, color, dash], i) => {
    const ly = margin.top + 8 + i * 16;
    parts.push(
      `<line x1="${margin.left + 12}" x2="${margin.left + 36}" y1="${ly}" y2="${ly}" stroke="${color}" stroke-width="2"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`,
      `<text x="${margin.left + 42}" y="${ly + 4}">${escapeXml(label)}</text>`,
    );
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
