/**
 * The cell file format (docs/cell-format.md, docs/cell.schema.json).
 * Plain data with our own stable ids: the canvas is a view of it.
 */
export const CELL_FORMAT = 'celda-cell';
export const CELL_FORMAT_VERSION = 1;

export type ParamValue = number | string | boolean;

export interface CellNode {
  /** Stable id: 1–64 characters from [A-Za-z0-9_.:-]. Never reaches generated code. */
  readonly id: string;
  readonly kind: string;
  /** Free text shown to people (and used to name gates in equations). */
  readonly label?: string;
  readonly params: Readonly<Record<string, ParamValue>>;
  readonly position: { readonly x: number; readonly y: number };
}

export interface Connection {
  readonly from: string;
  readonly fromPort: string;
  readonly to: string;
  readonly toPort: string;
}

export interface CellSizes {
  readonly input: number;
  readonly hidden: number;
  /** Extra sizes a cell may refer to by name, e.g. `{ "proj": 32 }`. */
  readonly named: Readonly<Record<string, number>>;
}

export interface CellMetadata {
  readonly name: string;
  readonly description: string;
  readonly author?: string;
  readonly notes?: string;
}

export interface Cell {
  readonly format: typeof CELL_FORMAT;
  readonly version: typeof CELL_FORMAT_VERSION;
  readonly metadata: CellMetadata;
  readonly sizes: CellSizes;
  readonly nodes: readonly CellNode[];
  readonly connections: readonly Connection[];
}

/** Bounds that keep a hostile file from hanging the tab (DESIGN §8). */
export const LIMITS = {
  nodes: 1000,
  connections: 4000,
  /** Largest input, hidden or named size. */
  size: 4096,
  namedSizes: 32,
  idLength: 64,
  labelLength: 80,
  textLength: 10_000,
  /** Largest coordinate on the canvas. */
  coordinate: 1e7,
} as const;

export const ID_PATTERN = /^[A-Za-z0-9_.:-]{1,64}$/;

/**
 * Characters no stored text may hold: control characters (other than newline
 * and tab) and bidi overrides, which hide or reorder what a reader sees.
 */
// eslint-disable-next-line no-control-regex
export const UNSAFE_TEXT = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** Sizes as an environment for size expressions. */
export function sizeEnvironment(sizes: CellSizes): Record<string, number> {
  return { ...sizes.named, input: sizes.input, hidden: sizes.hidden };
}

