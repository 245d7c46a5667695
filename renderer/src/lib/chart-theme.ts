import { Chart } from 'chart.js';
import { flattenCanvas } from './export';

/** Axis, grid and legend colours of the charts: dark for the workbench, light for the HTML report's white page. */
export interface ChartPalette {
  axis: string;
  grid: string;
  legend: string;
  background: string;
}

export const CHART_DARK: ChartPalette = { axis: '#8a97a8', grid: '#2a3545', legend: '#d7dee8', background: '#161d26' };
export const CHART_LIGHT: ChartPalette = { axis: '#4a5565', grid: '#d5dbe3', legend: '#1d2632', background: '#ffffff' };

/** Tick labels never overlap: Chart.js drops the ones that would collide, after tilting at most 45°. */
export const AXIS_TICKS = { autoSkip: true, autoSkipPadding: 8, maxRotation: 45, minRotation: 0 } as const;

interface Themeable {
  ticks?: { color?: unknown };
  grid?: { color?: unknown };
  title?: { color?: unknown };
}

function paint(chart: Chart, p: ChartPalette): void {
  for (const scale of Object.values(chart.options.scales ?? {}) as Themeable[]) {
    if (scale.ticks) scale.ticks.color = p.axis;
    if (scale.grid) scale.grid.color = p.grid;
    if (scale.title) scale.title.color = p.axis;
  }
  const legend = chart.options.plugins?.legend?.labels;
  if (legend) legend.color = p.legend;
}

/**
 * The chart drawn on `canvas` as a PNG in the light palette, on white: repainted light, captured, and
 * painted dark again within one task, so the page never shows the light version. A canvas that is not a
 * Chart.js chart is captured as it is, on white.
 */
export function lightChartPng(canvas: HTMLCanvasElement): string {
  const chart = Chart.getChart(canvas);
  if (!chart) return flattenCanvas(canvas, CHART_LIGHT.background).toDataURL('image/png');
  paint(chart, CHART_LIGHT);
  chart.update('none');
  try {
    return flattenCanvas(canvas, CHART_LIGHT.background).toDataURL('image/png');
  } finally {
    paint(chart, CHART_DARK);
    chart.update('none');
  }
}
