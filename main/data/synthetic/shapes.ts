/**
 * The ten shape classes as closed outlines in a unit frame, filled with the even-odd rule
 * (so a ring is two circles, one inside the other). Every outline lies in the unit disk
 * centred on the origin: scaling by a radius and rotating about the centre keeps the shape
 * inside its bounding circle. Rotation is random per sample, so every pair of classes must
 * stay distinct under rotation (hence no "diamond": that is a rotated square). Curves are
 * polygons with CURVE_SEGMENTS sides: at 128 px the error is below a fortieth of a pixel.
 */

/** A closed polygon as [x0, y0, x1, y1, …]; y grows downwards like image rows. */
export type Contour = Float64Array;

export interface ShapeClass {
  name: string;
  contours: readonly Contour[];
}

const CURVE_SEGMENTS = 96;

/** Points along an arc of the circle (cx, cy, r), from angle a0 to a1 (radians, either direction). */
function arc(cx: number, cy: number, r: number, a0: number, a1: number, segments: number): number[] {
  const out: number[] = [];
  for (let i = 0; i <= segments; i++) {
    const a = a0 + ((a1 - a0) * i) / segments;
    out.push(cx + r * Math.cos(a), cy + r * Math.sin(a));
  }
  return out;
}

/** A regular polygon with outer radius 1, or a star when `inner` is given; first vertex points up. */
function regular(points: number, inner?: number): Contour {
  const n = inner === undefined ? points : points * 2;
  const out = new Float64Array(n * 2);
  for (let i = 0; i < n; i++) {
    const radius = inner !== undefined && i % 2 === 1 ? inner : 1;
    const angle = -Math.PI / 2 + (i * 2 * Math.PI) / n;
    out[2 * i] = radius * Math.cos(angle);
    out[2 * i + 1] = radius * Math.sin(angle);
  }
  return out;
}

function circle(r: number): Contour {
  return Float64Array.from(arc(0, 0, r, 0, 2 * Math.PI, CURVE_SEGMENTS).slice(0, -2));
}

/** A plus sign: arms of half-width w reaching to half-length l. */
function cross(w: number, l: number): Contour {
  return Float64Array.from([w, -l, w, -w, l, -w, l, w, w, w, w, l, -w, l, -w, w, -l, w, -l, -w, -w, -w, -w, -l]);
}

/** The unit disk minus the disk ((c, 0), r): thick in the middle, pointed at the tips. */
function crescent(c: number, r: number): Contour {
  const tipX = (1 - r * r + c * c) / (2 * c);
  const tipY = Math.sqrt(1 - tipX * tipX);
  const outer = Math.atan2(tipY, tipX);
  const inner = Math.atan2(tipY, tipX - c);
  return Float64Array.from([
    ...arc(0, 0, 1, outer, 2 * Math.PI - outer, CURVE_SEGMENTS),
    ...arc(c, 0, r, 2 * Math.PI - inner, inner, CURVE_SEGMENTS).slice(2, -2),
  ]);
}

/** The classic parametric heart, centred on its bounding box and scaled into the unit disk, point down. */
function heart(): Contour {
  const pts: number[] = [];
  for (let i = 0; i < CURVE_SEGMENTS; i++) {
    const t = (i * 2 * Math.PI) / CURVE_SEGMENTS;
    pts.push(16 * Math.sin(t) ** 3, -(13 * Math.cos(t) - 5 * Math.cos(2 * t) - 2 * Math.cos(3 * t) - Math.cos(4 * t)));
  }
  const xs = pts.filter((_, i) => i % 2 === 0);
  const ys = pts.filter((_, i) => i % 2 === 1);
  const mx = (Math.min(...xs) + Math.max(...xs)) / 2;
  const my = (Math.min(...ys) + Math.max(...ys)) / 2;
  const centred = pts.map((v, i) => v - (i % 2 === 0 ? mx : my));
  let maxR = 0;
  for (let i = 0; i < centred.length; i += 2) maxR = Math.max(maxR, Math.hypot(centred[i], centred[i + 1]));
  return Float64Array.from(centred.map((v) => v / maxR));
}

const HALF_SQUARE = Math.SQRT1_2;

/** Class order is the label order: changing it changes every label, so bump SHAPES_GENERATOR_VERSION. */
export const SHAPES: readonly ShapeClass[] = [
  { name: 'circle', contours: [circle(1)] },
  { name: 'square', contours: [Float64Array.from([-1, -1, 1, -1, 1, 1, -1, 1].map((v) => v * HALF_SQUARE))] },
  { name: 'triangle', contours: [regular(3)] },
  { name: 'star', contours: [regular(5, 0.42)] },
  { name: 'cross', contours: [cross(0.3, 0.95)] },
  { name: 'ring', contours: [circle(1), circle(0.58)] },
  { name: 'hexagon', contours: [regular(6)] },
  { name: 'crescent', contours: [crescent(0.45, 0.8)] },
  { name: 'arrow', contours: [Float64Array.from([-0.95, -0.18, 0.12, -0.18, 0.12, -0.56, 0.96, 0, 0.12, 0.56, 0.12, 0.18, -0.95, 0.18])] },
  { name: 'heart', contours: [heart()] },
];

export const SHAPE_CLASSES: readonly string[] = Object.freeze(SHAPES.map((s) => s.name));
