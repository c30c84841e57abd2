/**
 * Symbolic vector sizes: linear combinations of named sizes plus a constant,
 * e.g. `hidden + input` (a concat) or `4*hidden` (stacked gates).
 * Shapes are inferred symbolically so that a cell is checked once, for every
 * input/hidden size, and error messages speak the user's names.
 */
import { renderSizeProblem, type Lang, type SizeProblem } from './messages';

export interface SizeExpr {
  /** name → coefficient; no zero coefficients, keys sorted when printed. */
  readonly terms: Readonly<Record<string, number>>;
  readonly constant: number;
}

export const SIZE_NAME = /^[A-Za-z][A-Za-z0-9_]{0,31}$/;
/** Largest coefficient or constant accepted in a size expression. */
export const MAX_SIZE_LITERAL = 1 << 20;
const MAX_TERMS = 8;

export function sizeConst(n: number): SizeExpr {
  return { terms: {}, constant: n };
}

export function sizeName(name: string): SizeExpr {
  return { terms: { [name]: 1 }, constant: 0 };
}

export function addSizes(a: SizeExpr, b: SizeExpr): SizeExpr {
  const terms: Record<string, number> = { ...a.terms };
  for (const [name, k] of Object.entries(b.terms)) {
    const sum = (Object.hasOwn(terms, name) ? terms[name] : 0) + k;
    if (sum === 0) delete terms[name];
    else terms[name] = sum;
  }
  return { terms, constant: a.constant + b.constant };
}

export function scaleSize(a: SizeExpr, k: number): SizeExpr {
  if (k === 0) return sizeConst(0);
  const terms: Record<string, number> = {};
  for (const [name, c] of Object.entries(a.terms)) terms[name] = c * k;
  return { terms, constant: a.constant * k };
}

export function sameSize(a: SizeExpr, b: SizeExpr): boolean {
  return formatSize(a) === formatSize(b);
}

export function formatSize(e: SizeExpr): string {
  const parts = Object.keys(e.terms)
    .sort()
    .map((name) => (e.terms[name] === 1 ? name : `${e.terms[name]}*${name}`));
  if (e.constant !== 0 || parts.length === 0) parts.push(String(e.constant));
  return parts.join(' + ');
}

/** The built-in sizes as a Spanish reader names them; named sizes are the user's own words and stay. */
const SIZE_WORDS: Readonly<Record<Lang, Readonly<Record<string, string>>>> = {
  en: {},
  es: { hidden: 'oculto', input: 'entrada' },
};

/**
 * A size as shown to the user in `lang` ("hidden + input" → "oculto + entrada").
 * Display only: cell files, diagnostics' parameters and the compiler keep the
 * identifiers `hidden` and `input`.
 */
export function displaySize(size: string, lang: Lang): string {
  const words = SIZE_WORDS[lang];
  return size.replace(/[A-Za-z][A-Za-z0-9_]*/g, (name) => (Object.hasOwn(words, name) ? words[name] : name));
}

/**
 * Reads `hidden`, `2*hidden + input`, `16` or a plain integer. Returns what is
 * wrong instead of throwing; the caller names the node and field.
 */
export function readSize(raw: unknown): SizeExpr | SizeProblem {
  if (typeof raw === 'number') {
    if (!Number.isInteger(raw) || raw < 0 || raw > MAX_SIZE_LITERAL) return { problem: 'not-whole', max: MAX_SIZE_LITERAL, got: String(raw) };
    return sizeConst(raw);
  }
  if (typeof raw !== 'string') return { problem: 'not-a-size', type: typeof raw };
  if (raw.length > 120) return { problem: 'too-long' };
  const pieces = raw.split('+').map((p) => p.trim());
  if (pieces.length > MAX_TERMS) return { problem: 'too-many-terms', max: MAX_TERMS };
  let total = sizeConst(0);
  for (const piece of pieces) {
    const term = readTerm(piece, raw);
    if (isSizeProblem(term)) return term;
    total = addSizes(total, term);
  }
  return total;
}

function readTerm(piece: string, size: string): SizeExpr | SizeProblem {
  const match = /^(?:(\d{1,7})\s*\*\s*)?([A-Za-z][A-Za-z0-9_]{0,31})$|^(\d{1,7})$/.exec(piece);
  if (!match) return { problem: 'unreadable-term', term: piece.slice(0, 40), size };
  if (match[3] !== undefined) return sizeConst(Number(match[3]));
  const k = match[1] === undefined ? 1 : Number(match[1]);
  if (k > MAX_SIZE_LITERAL) return { problem: 'coefficient-too-large', coefficient: k, size };
  return scaleSize(sizeName(match[2]), k);
}

export function isSizeProblem(r: SizeExpr | SizeProblem): r is SizeProblem {
  return 'problem' in r;
}

/** As `readSize`, with the problem as an English sentence (for callers that show it as is). */
export function parseSize(raw: unknown): SizeExpr | string {
  const read = readSize(raw);
  return isSizeProblem(read) ? renderSizeProblem(read, 'en') : read;
}

/** Concrete value of a size, or the list of names that are not defined. */
export function evaluateSize(e: SizeExpr, env: Readonly<Record<string, number>>): number | { unknown: string[] } {
  const unknown = Object.keys(e.terms).filter((name) => !Object.hasOwn(env, name));
  if (unknown.length > 0) return { unknown };
  let total = e.constant;
  for (const [name, k] of Object.entries(e.terms)) total += k * env[name];
  return total;
}
