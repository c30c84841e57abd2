/**
 * Wire shapes. Forward wires are the usual horizontal S-curve. A wire that
 * runs backwards (its output is right of its input, as every recurrence into a
 * state drawn on the left is) leaves to the right, loops around the top or the
 * bottom of the whole cell and comes back into the input from the left, the
 * way textbooks draw the arrow back to h_{t−1}.
 */
export interface Point {
  readonly x: number;
  readonly y: number;
}

/** Top and bottom of all nodes (area units): back wires go around them. */
export interface Bounds {
  readonly top: number;
  readonly bottom: number;
}

const r = (v: number): number => Math.round(v * 10) / 10;

/** A wire whose input is not clearly right of its output. */
export const isBackward = (start: Point, end: Point): boolean => end.x - start.x < 24;

export function wirePath(start: Point, end: Point, bounds?: Bounds): string {
  const dx = end.x - start.x;
  if (!isBackward(start, end)) {
    const h = Math.max(30, dx * 0.4);
    return `M ${r(start.x)} ${r(start.y)} C ${r(start.x + h)} ${r(start.y)} ${r(end.x - h)} ${r(end.y)} ${r(end.x)} ${r(end.y)}`;
  }
  const top = Math.min(start.y, end.y, bounds?.top ?? Infinity);
  const bottom = Math.max(start.y, end.y, bounds?.bottom ?? -Infinity);
  const middle = (start.y + end.y) / 2;
  // Around whichever side is nearer; longer wires a little further out, so nested loops do not overlap.
  const margin = 36 + Math.min(80, Math.abs(dx) * 0.03);
  const lane = middle - top <= bottom - middle ? top - margin : bottom + margin;
  // The further an end is from the lane, the wider it swings, so loops into stacked states stay apart.
  const swing = (y: number): number => 40 + Math.min(160, Math.abs(y - lane) * 0.35);
  const a = start.x + swing(start.y);
  const b = end.x - swing(end.y);
  const mid = (start.x + end.x) / 2;
  return (
    `M ${r(start.x)} ${r(start.y)} ` +
    `C ${r(a)} ${r(start.y)} ${r(a)} ${r(lane)} ${r(mid)} ${r(lane)} ` +
    `C ${r(b)} ${r(lane)} ${r(b)} ${r(end.y)} ${r(end.x)} ${r(end.y)}`
  );
}
