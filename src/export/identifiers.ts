/**
 * The only way text from a project file reaches exported code (DESIGN §8):
 * identifiers are rebuilt from [a-z0-9_] and comments from a short list of
 * harmless characters, so no quote, backslash, newline or comment terminator survives.
 */

const PYTHON_RESERVED = new Set([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif', 'else',
  'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise',
  'return', 'try', 'while', 'with', 'yield', 'self', 'torch', 'nn', 'tf', 'x', 'states', 'json', 'super', 'type', 'print',
]);

/** A lower-case identifier made of [a-z0-9_], starting with a letter, at most 32 characters; '' when nothing is left. */
export function identifierFrom(text: string): string {
  const ascii = text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  const word = ascii.replace(/[^a-z0-9]+/g, '_').replace(/^[^a-z]+/, '').replace(/_+$/, '').slice(0, 32).replace(/_+$/, '');
  return word;
}

/** Hands out unique identifiers, avoiding keywords and names the generated code uses itself. */
export class IdentifierPool {
  private readonly used = new Set<string>(PYTHON_RESERVED);

  /** `preferred` (sanitised) if free, else with a numeric suffix; `fallback` when nothing is left of it. */
  take(preferred: string, fallback: string): string {
    const base = identifierFrom(preferred) || fallback;
    let name = base;
    for (let k = 2; this.used.has(name); k++) name = `${base}_${k}`;
    this.used.add(name);
    return name;
  }
}

/** Text safe inside a `#` or `//` line comment (and a Python docstring): no newline, quote, backslash or comment terminator. */
export function commentFrom(text: string, max = 200): string {
  const kept = text
    .normalize('NFC')
    .replace(/\u0303/g, '~') // a combining tilde (h̃ in equations) becomes a plain one
    .replace(/[^\p{L}\p{Nd} _+\-−=()[\]{},.:;'·⊙σ∘×^~′]/gu, '?')
    .replace(/'/g, '′')
    .replace(/\s+/g, ' ');
  return Array.from(kept).slice(0, max).join('').trim();
}
