import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import type { MetricSeries } from '../../../main/core';
import { alignSeries } from '../charts/alignSeries';

const COLORS: Record<string, string> = { 'train/loss': '#5aa9ff', 'val/loss': '#ffb547' };
const STEP_INCREMENTS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000, 1_000_000];
const AXIS = { stroke: '#8b93a3', grid: { stroke: '#2a2f3a', width: 1 }, ticks: { stroke: '#2a2f3a', width: 1 }, font: '11px system-ui, sans-serif' };

/** Loss over steps with uPlot (it keeps 100k-point curves fluid); resizes with its box. */
export function LossChart({ series }: { series: MetricSeries[] }): React.JSX.Element {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const { x, ys } = alignSeries(series);
    const size = () => ({ width: Math.max(element.clientWidth, 200), height: Math.max(element.clientHeight - 30, 80) });
    const plot = new uPlot(
      {
        ...size(),
        legend: { show: true },
        cursor: { drag: { x: true, y: false } },
        scales: { x: { time: false } },
        axes: [
          // Steps are whole numbers: no ticks between them.
          { ...AXIS, incrs: STEP_INCREMENTS },
          { ...AXIS, size: 48 },
        ],
        series: [
          { label: 'step', value: (_u: uPlot, v: number | null) => (v === null ? '—' : String(v)) },
          ...series.map((s) => ({ label: s.name, stroke: COLORS[s.name] ?? '#c792ea', width: 1.6, spanGaps: true, points: { show: s.points.length < 40 } })),
        ],
      },
      [x, ...ys] as uPlot.AlignedData,
      element,
    );
    const observer = new ResizeObserver(() => plot.setSize(size()));
    observer.observe(element);
    return () => {
      observer.disconnect();
      plot.destroy();
    };
  }, [series]);
  return <div className="vb-chart" ref={box} data-testid="loss-chart" />;
}
