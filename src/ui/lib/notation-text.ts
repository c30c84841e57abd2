/**
 * Text in the tutorial's notation, as a lesson writes it ("a_t = tanh(W_aa a_{t−1} + W_ax x_t)"),
 * cut into plain runs and subscripts so a component can set the subscripts as <sub> elements:
 * no HTML is built from the text (a workshop pack's lessons are untrusted).
 *
 * A subscript follows a letter (or a prime: c'_t) and an underscore: `_{…}` (up to 12 characters, no braces) or a
 * run of letters and digits (`_aa`, `_t`, `_0`).
 */
export interface NotationPart {
  readonly text: string;
  readonly sub?: true;
}

const SUBSCRIPT = /(?<=[\p{L}'])_(?:\{([^{}]{1,12})\}|([\p{L}\p{N}]+))/gu;

export function notationParts(text: string): NotationPart[] {
  const parts: NotationPart[] = [];
  let at = 0;
  for (const m of text.matchAll(SUBSCRIPT)) {
    if (m.index > at) parts.push({ text: text.slice(at, m.index) });
    parts.push({ text: m[1] ?? m[2], sub: true });
    at = m.index + m[0].length;
  }
  if (at < text.length) parts.push({ text: text.slice(at) });
  return parts;
}
