/**
 * Getting figures out of the workbench with nothing but the browser: Blob + <a download> works the same in
 * Electron and in a browser on the localhost host, and needs no file dialog round-trip through the engine.
 */

export function downloadBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  // The download has taken its reference by the next tick; revoking at once can cancel it in some engines.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function downloadText(text: string, filename: string, mime: string): void {
  downloadBlob(new Blob([text], { type: `${mime};charset=utf-8` }), filename);
}

/** Chart canvases are transparent; a report or an image viewer needs the panel colour behind them. */
export function flattenCanvas(canvas: HTMLCanvasElement, background: string): HTMLCanvasElement {
  const out = document.createElement('canvas');
  out.width = canvas.width;
  out.height = canvas.height;
  const ctx = out.getContext('2d');
  if (!ctx) throw new Error('no 2-D canvas context for the export');
  ctx.fillStyle = background;
  ctx.fillRect(0, 0, out.width, out.height);
  ctx.drawImage(canvas, 0, 0);
  return out;
}

export const CHART_BACKGROUND = '#161d26';

export function canvasPngDataUrl(canvas: HTMLCanvasElement, background = CHART_BACKGROUND): string {
  return flattenCanvas(canvas, background).toDataURL('image/png');
}

export function downloadCanvasPng(canvas: HTMLCanvasElement, filename: string, background = CHART_BACKGROUND): Promise<void> {
  return new Promise((resolve, reject) => {
    flattenCanvas(canvas, background).toBlob((blob) => {
      if (!blob) return reject(new Error('the chart could not be encoded as PNG'));
      downloadBlob(blob, filename);
      resolve();
    }, 'image/png');
  });
}

type Cell = string | number | boolean | null | undefined;

/** RFC 4180: quote fields holding a separator, a quote or a line break; null is an empty field. */
export function toCsv(header: string[], rows: Cell[][]): string {
  const field = (v: Cell) => {
    if (v === null || v === undefined) return '';
    const s = String(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [header, ...rows].map((r) => r.map(field).join(',')).join('\r\n') + '\r\n';
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}

export interface ChartImage {
  title: string;
  caption: string;
  dataUrl: string;
}

/**
 * Every chart a view marked with data-export-chart, as PNG data URLs, in page order. `capture` draws one
 * canvas: as shown by default, or repainted for another page (the HTML report passes lightChartPng).
 */
export function collectCharts(root: ParentNode, capture: (canvas: HTMLCanvasElement) => string = (c) => canvasPngDataUrl(c)): ChartImage[] {
  const out: ChartImage[] = [];
  for (const el of root.querySelectorAll<HTMLElement>('[data-export-chart]')) {
    const canvas = el.querySelector('canvas');
    if (!canvas || canvas.width === 0) continue;
    out.push({ title: el.dataset.exportChart ?? '', caption: el.dataset.exportCaption ?? '', dataUrl: capture(canvas) });
  }
  return out;
}

/** A file name piece from free text: letters, digits and dashes only. */
export function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60) || 'export';
}

export function timestamp(d = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}`;
}
