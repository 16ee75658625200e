import type { Viewport } from '@xyflow/react';

export interface Bounds {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Zoom range at which node text stays readable; below it the minimap gives the overview. */
export const READABLE_ZOOM = { min: 0.85, max: 1 };

/**
 * The first view of a graph: the whole graph when it fits at a readable zoom, otherwise its
 * start (the inputs, top left) at the smallest readable zoom. Each axis that fits is centred.
 */
export function initialViewport(graph: Bounds, canvas: { width: number; height: number }, margin = 40): Viewport {
  const fit = Math.min((canvas.width - 2 * margin) / Math.max(graph.width, 1), (canvas.height - 2 * margin) / Math.max(graph.height, 1));
  const zoom = Math.max(READABLE_ZOOM.min, Math.min(READABLE_ZOOM.max, fit));
  const fitsWidth = graph.width * zoom <= canvas.width - 2 * margin;
  const x = fitsWidth ? (canvas.width - graph.width * zoom) / 2 - graph.x * zoom : margin - graph.x * zoom;
  const fitsHeight = graph.height * zoom <= canvas.height - 2 * margin;
  const y = fitsHeight ? (canvas.height - graph.height * zoom) / 2 - graph.y * zoom : margin - graph.y * zoom;
  return { x, y, zoom };
}
