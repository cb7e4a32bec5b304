import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface LineChartProps {
  /** What the chart shows, read out in place of the canvas. */
  label: string;
  /** Seconds since the epoch, ascending. */
  xs: number[];
  ys: (number | null)[];
  height?: number;
  /** The y axis's labels (default: uPlot's numbers). */
  yText?: (value: number) => string;
  /** The least top of the y axis, so small values do not fill the chart (default 1). */
  yFloor?: number;
  /** The xs are the starts of UTC days: the axis in UTC, its steps whole days, each day a point. */
  days?: boolean;
}

const DAY_S = 86_400;
const utc = (seconds: number) => uPlot.tzDate(new Date(seconds * 1000), 'Etc/UTC');

const cssColor = (name: string) => getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';

/** A time series drawn by uPlot (canvas): sized to its box, colours from the theme. */
export function LineChart({ label, xs, ys, height = 140, yText, yFloor = 1, days = false }: LineChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  // The newest data, for a chart drawn again after a theme change.
  const data = useRef<uPlot.AlignedData>([xs, ys]);
  data.current = [xs, ys];
  const format = useRef(yText);
  format.current = yText;

  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const create = () => {
      plot.current?.destroy();
      const axis = { stroke: cssColor('--muted'), grid: { stroke: cssColor('--grid'), width: 1 }, ticks: { show: false } };
      plot.current = new uPlot(
        {
          width: Math.max(200, element.clientWidth),
          height,
          legend: { show: false },
          cursor: { y: false },
          ...(days ? { tzDate: utc } : {}),
          scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(yFloor, max * 1.1)] } },
          axes: [
            days ? { ...axis, space: 70, incrs: [DAY_S, 2 * DAY_S, 7 * DAY_S, 14 * DAY_S] } : axis,
            {
              ...axis,
              size: format.current ? 64 : 48,
              ...(format.current ? { values: (_u: uPlot, splits: number[]) => splits.map((v) => format.current?.(v) ?? String(v)) } : {}),
            },
          ],
          series: [{}, { label, stroke: cssColor('--accent'), fill: cssColor('--accent-soft'), width: 2, points: { show: days } }],
        },
        data.current,
        element,
      );
    };
    create();
    const resize = new ResizeObserver(() => plot.current?.setSize({ width: Math.max(200, element.clientWidth), height }));
    resize.observe(element);
    // The theme's colours are read once per chart: draw again when they change.
    const themes = new MutationObserver(create);
    themes.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    return () => {
      resize.disconnect();
      themes.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
  }, [height, label, yFloor, days]);

  useEffect(() => {
    plot.current?.setData(data.current);
  }, [xs, ys]);

  return <div class="chart" ref={box} role="img" aria-label={label} />;
}
