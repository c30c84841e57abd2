/** Helpers shared by the uPlot charts of the training drawer. */
import type uPlot from 'uplot';

/** Keeps a chart as wide as its box (the drawer follows the window); returns the cleanup. */
export function fitWidth(box: HTMLElement, chart: uPlot, height: number): () => void {
  const observer = new ResizeObserver(() => {
    if (box.clientWidth > 0) chart.setSize({ width: box.clientWidth, height });
  });
  observer.observe(box);
  return () => observer.disconnect();
}

/** A uPlot hook reporting the data index under the pointer (undefined when it leaves the chart). */
export const cursorHook = (report: (index: number | undefined) => void): uPlot.Hooks.Arrays => ({
  setCursor: [(u) => report(u.cursor.idx ?? undefined)],
});

/** A number for a legend or a table: fixed digits, or "—" when it is not finite. */
export const fixed = (v: number | null | undefined, digits = 4): string => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(digits) : '—');

/** A gradient norm or ratio in exponent form with one decimal (3.4e-1, 4.4e8). */
export const exponent = (v: number | null | undefined): string => (typeof v === 'number' && Number.isFinite(v) ? v.toExponential(1).replace('e+', 'e') : '—');
