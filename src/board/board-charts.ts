import type { TopLevelSpec } from 'vega-lite';
import type { UnitWeekReport } from './board-reports.js';

/** Loaded on the first chart, not at start: a bot with the board off never pays for them. */
let libraries: Promise<[typeof import('vega'), typeof import('vega-lite')]> | null = null;
const chartLibraries = () => (libraries ??= Promise.all([import('vega'), import('vega-lite')]));

/** The same figures draw the same chart: recent SVGs are kept (a small LRU keyed by the spec). */
const CACHE_SIZE = 200;
const cache = new Map<string, string>();

/** Vega-Lite → Vega → SVG, on the server (no browser, no script on the page). */
export const renderSvg = async (spec: TopLevelSpec): Promise<string> => {
  const key = JSON.stringify(spec);
  const hit = cache.get(key);
  if (hit !== undefined) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const [vega, vegaLite] = await chartLibraries();
  const view = new vega.View(vega.parse(vegaLite.compile(spec).spec), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    cache.set(key, svg);
    if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as string);
    return svg;
  } finally {
    view.finalize();
  }
};

const AXIS = { labelColor: '#1b1b1b', titleColor: '#1b1b1b', labelFontSize: 12, titleFontSize: 12, labelLimit: 0 };

/** Median and 90th percentile per measure, side by side (colours distinguishable and above 3:1 contrast). */
export const timesChartSpec = (report: UnitWeekReport, title: string): TopLevelSpec => ({
  $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
  title: { text: title, color: '#1b1b1b', fontSize: 14 },
  width: 360,
  height: 160,
  background: '#ffffff',
  data: {
    values: report.times.flatMap((t) => [
      { measure: t.measure, statistic: 'Median', hours: t.medianHours ?? 0 },
      { measure: t.measure, statistic: '90th percentile', hours: t.p90Hours ?? 0 },
    ]),
  },
  mark: { type: 'bar' },
  encoding: {
    y: { field: 'measure', type: 'nominal', title: null, axis: AXIS },
    yOffset: { field: 'statistic' },
    x: { field: 'hours', type: 'quantitative', title: 'Working hours', axis: AXIS },
    color: {
      field: 'statistic',
      type: 'nominal',
      title: null,
      scale: { domain: ['Median', '90th percentile'], range: ['#1d4f91', '#b35900'] },
      legend: { orient: 'bottom', labelColor: '#1b1b1b' },
    },
  },
});

export const remindersChartSpec = (report: UnitWeekReport): TopLevelSpec => ({
  $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
  title: { text: 'Reminders per rung', color: '#1b1b1b', fontSize: 14 },
  width: 300,
  height: 120,
  background: '#ffffff',
  data: { values: report.reminders },
  mark: { type: 'bar', color: '#1d4f91' },
  encoding: {
    y: { field: 'rung', type: 'nominal', title: null, sort: null, axis: AXIS },
    x: {
      field: 'count',
      type: 'quantitative',
      title: 'Reminders',
      scale: { domainMin: 0, domainMax: Math.max(1, ...report.reminders.map((r) => r.count)) },
      axis: { ...AXIS, tickMinStep: 1, format: 'd' },
    },
  },
});

/** An SVG made fit for a page: an accessible name, and the description lives in the table beside it. */
export const accessibleSvg = (svg: string, label: string) => svg.replace(/^<svg /, `<svg role="img" aria-label="${label.replace(/[&<>"]/g, '')}" focusable="false" `);

/** The weekly picture for chat: the SVG drawn to PNG. */
export const svgToPng = async (svg: string): Promise<Buffer> => {
  const { Resvg } = await import('@resvg/resvg-js');
  return Buffer.from(new Resvg(svg, { background: '#ffffff', fitTo: { mode: 'width', value: 640 }, font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' } }).render().asPng());
};
