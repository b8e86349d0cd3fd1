/**
 * Flame graphs as static SVG (one per thread) inside a self-contained HTML page: no scripts,
 * no network, so the file opens offline and can be attached to an issue. Hover shows each
 * frame's time through SVG <title>.
 */
import { escapeXml } from '../svg-chart.ts';
import {
  displayLocation,
  displayName,
  functionKey,
  sampleWeights,
  type CallFrame,
  type ThreadProfile,
  type ProfileSet,
} from './cpu-profile.ts';

interface FlameNode {
  readonly frame: CallFrame | undefined;
  valueUs: number;
  readonly children: Map<string, FlameNode>;
}

/** Merges the call tree by function along each path, dropping meta frames such as (idle). */
function buildFlameTree(thread: ThreadProfile): FlameNode {
  const { profile } = thread;
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const frameOf = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const root: FlameNode = { frame: undefined, valueUs: 0, children: new Map() };
  const weights = sampleWeights(profile);
  (profile.samples ?? []).forEach((id, i) => {
    const path: CallFrame[] = [];
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at))
      path.push(frameOf.get(at) as CallFrame);
    path.reverse();
    if (path.some((frame) => frame.functionName === '(idle)')) return;
    const weight = weights[i] ?? 0;
    let node = root;
    node.valueUs += weight;
    for (const frame of path) {
      if (frame.functionName === '(root)') continue;
      const key = functionKey(frame);
      let child = node.children.get(key);
      if (!child) {
        child = { frame, valueUs: 0, children: new Map() };
        node.children.set(key, child);
      }
      child.valueUs += weight;
      node = child;
    }
  });
  return root;
}

/** A warm colour per function name, stable across renders so the same function keeps its colour. */
function colourOf(name: string): string {
  let hash = 0;
  for (let i = 0; i < name.length; i++) hash = (hash * 31 + name.charCodeAt(i)) >>> 0;
  return `hsl(${10 + (hash % 45)}, ${70 + (hash % 20)}%, ${55 + (hash % 15)}%)`;
}

/**
 * One thread's flame graph as SVG: x = share of sampled (non-idle) time, y = stack depth,
 * root at the bottom.
 *
 * @param widthPx total width. Default 1200.
 */
export function flameGraphSvg(thread: ThreadProfile, widthPx = 1200): string {
  const root = buildFlameTree(thread);
  const rowPx = 17;
  const rects: string[] = [];
  let maxDepth = 0;
  const total = root.valueUs || 1;
  const visit = (node: FlameNode, x: number, depth: number): void => {
    let childX = x;
    for (const child of [...node.children.values()].sort((a, b) => b.valueUs - a.valueUs)) {
      const width = (child.valueUs / total) * widthPx;
      if (width >= 0.5 && child.frame) {
        maxDepth = Math.max(maxDepth, depth + 1);
        const name = displayName(child.frame);
        const location = displayLocation(child.frame);
        const label = width > 30 ? escapeXml(name.slice(0, Math.floor(width / 7))) : '';
        rects.push(
          `<g transform="translate(${childX.toFixed(1)} DEPTH${depth})"><title>${escapeXml(name)}${location ? ` (${escapeXml(location)})` : ''}: ` +
            `${(child.valueUs / 1000).toFixed(1)} ms, ${((child.valueUs / total) * 100).toFixed(1)}%</title>` +
            `<rect width="${Math.max(0.5, width - 0.5).toFixed(1)}" height="${rowPx - 1}" fill="${colourOf(name)}"/>` +
            (label ? `<text x="3" y="12">${label}</text>` : '') +
            '</g>',
        );
        visit(child, childX, depth + 1);
      }
      childX += width;
    }
  };
  visit(root, 0, 0);
  const height = (maxDepth + 1) * rowPx;
  // Depth is known only after the walk; rows are placed bottom-up, so substitute y now.
  const body = rects.map((r) =>
    r.replace(/DEPTH(\d+)/, (_, d: string) => String(height - (Number(d) + 2) * rowPx)),
  );
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${widthPx}" height="${height}" font-family="monospace" font-size="11">` +
    `${body.join('')}</svg>`
  );
}

/**
 * A self-contained HTML page with one flame graph per thread.
 *
 * @example writeFileSync('flame.html', flameGraphHtml(profiles));
 */
export function flameGraphHtml(set: ProfileSet): string {
  const sections = set.threads.map(
    (thread) =>
      `<h2>${escapeXml(thread.name)} <small>(pid ${thread.pid})</small></h2>\n<div class="flame">${flameGraphSvg(thread)}</div>`,
  );
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeXml(set.title)} — flame graphs</title>
<style>body{font-family:system-ui,sans-serif;margin:1em}svg text{pointer-events:none}.flame{overflow-x:auto;border:1px solid #ddd}
h2 small{color:#666;font-weight:normal}</style></head><body>
<h1>${escapeXml(set.title)}</h1>
<p>Width is the share of sampled time (idle time left out); the bottom row is the outermost call. Hover a frame for its time.</p>
${sections.join('\n')}
</body></html>
`;
}
