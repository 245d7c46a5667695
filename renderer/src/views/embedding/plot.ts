import { formatCount } from '../../../../shared/format';
import type { EmbeddingMap, EmbedPoint } from '../../../../shared/embed';
import { toCsv } from '../../lib/export';

/** Okabe–Ito, lightened for the dark panels, extended for many-class datasets. */
const PALETTE = ['#4da3ff', '#f5a524', '#3ecf8e', '#e879c6', '#f26d6d', '#a78bfa', '#9fd8f0', '#e6d45c', '#c08552', '#7fd1ae', '#ff9fb2', '#b8c4d6'];
const NO_LABEL = '#6b7686';

export type ColourBy = 'true' | 'predicted';

/** One colour per class name, the same in both panels (classes in first-seen order across the maps). */
export function classColours(maps: (EmbeddingMap | null)[]): Map<string, string> {
  const m = new Map<string, string>();
  for (const map of maps) for (const c of map?.classes ?? []) if (!m.has(c)) m.set(c, PALETTE[m.size % PALETTE.length]);
  return m;
}

export function colourOf(p: EmbedPoint, by: ColourBy, colours: Map<string, string>): string {
  const label = by === 'true' ? p.trueLabel : (p.predicted ?? p.trueLabel);
  return (label !== null && colours.get(label)) || NO_LABEL;
}

export function isMisclassified(p: EmbedPoint): boolean {
  return p.predicted !== null && p.trueLabel !== null && p.predicted !== p.trueLabel;
}

export interface Frame {
  width: number;
  height: number;
  pad: number;
  /** Pixels above the plot area (the caption). */
  top: number;
  minX: number;
  minY: number;
  scale: number;
}

/** Data → pixels with one scale for both axes (distances in a map mean something in every direction). */
export function frameOf(points: EmbedPoint[], width: number, height: number, top = 0, pad = 16): Frame {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const p of points) {
    minX = Math.min(minX, p.x);
    maxX = Math.max(maxX, p.x);
    minY = Math.min(minY, p.y);
    maxY = Math.max(maxY, p.y);
  }
  if (!points.length) [minX, maxX, minY, maxY] = [0, 1, 0, 1];
  const spanX = Math.max(maxX - minX, 1e-9);
  const spanY = Math.max(maxY - minY, 1e-9);
  const scale = Math.min((width - 2 * pad) / spanX, (height - 2 * pad) / spanY);
  // Centre the drawing in the spare room of the longer axis.
  const offX = (width - 2 * pad - spanX * scale) / 2;
  const offY = (height - 2 * pad - spanY * scale) / 2;
  return { width, height, pad, top, minX: minX - offX / scale, minY: minY - offY / scale, scale };
}

export function toPx(f: Frame, p: { x: number; y: number }): [number, number] {
  // Screen y grows downwards; the map's y grows upwards.
  return [f.pad + (p.x - f.minX) * f.scale, f.top + f.height - f.pad - (p.y - f.minY) * f.scale];
}

export function nearest(f: Frame, points: EmbedPoint[], px: number, py: number, within = 8): number {
  let best = -1;
  let bestD = within * within;
  points.forEach((p, i) => {
    const [x, y] = toPx(f, p);
    const d = (x - px) ** 2 + (y - py) ** 2;
    if (d <= bestD) {
      bestD = d;
      best = i;
    }
  });
  return best;
}

/** Indices of the points inside a pixel rectangle (corners in any order). */
export function inRect(f: Frame, points: EmbedPoint[], x0: number, y0: number, x1: number, y1: number): number[] {
  const [ax, bx] = x0 < x1 ? [x0, x1] : [x1, x0];
  const [ay, by] = y0 < y1 ? [y0, y1] : [y1, y0];
  const out: number[] = [];
  points.forEach((p, i) => {
    const [x, y] = toPx(f, p);
    if (x >= ax && x <= bx && y >= ay && y <= by) out.push(i);
  });
  return out;
}

export function mapCsv(map: EmbeddingMap): string {
  const chars = map.source.kind === 'chars';
  const header = chars ? ['char_id', 'char', 'x', 'y', 'kind'] : ['row', 'id', 'x', 'y', 'true_label', 'predicted', 'confidence', 'misclassified', 'text'];
  const rows = map.points.map((p) =>
    chars
      ? [p.row, p.char, p.x, p.y, p.trueLabel]
      : [p.row, p.id, p.x, p.y, p.trueLabel, p.predicted, p.confidence === null ? null : Number(p.confidence.toFixed(6)), isMisclassified(p) ? 1 : 0, p.text],
  );
  return toCsv(header, rows);
}

export function mapTitle(map: EmbeddingMap): string {
  const what = map.source.kind === 'chars' ? 'character embeddings' : `${map.source.datasetName ?? map.source.datasetId} · ${formatCount(map.count)} records`;
  return `${map.modelId} · ${map.method === 'umap' ? 'UMAP' : 't-SNE'} · seed ${map.seed} · ${what}`;
}
