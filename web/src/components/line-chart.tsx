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
}

const cssColor = (name: string) => getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';

/** A time series drawn by uPlot (canvas): sized to its box, colours from the theme. */
export function LineChart({ label, xs, ys, height = 140 }: LineChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  // The newest data, for a chart drawn again after a theme change.
  const data = useRef<uPlot.AlignedData>([xs, ys]);
  data.current = [xs, ys];

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
          scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] } },
          axes: [axis, { ...axis, size: 48 }],
          series: [{}, { label, stroke: cssColor('--accent'), fill: cssColor('--accent-soft'), width: 2, points: { show: false } }],
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
  }, [height, label]);

  useEffect(() => {
    plot.current?.setData(data.current);
  }, [xs, ys]);

  return <div class="chart" ref={box} role="img" aria-label={label} />;
}
