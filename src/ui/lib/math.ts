/**
 * LaTeX to HTML with KaTeX, with the only options the app uses: no trusted
 * commands (\href, \url, \html…), no exceptions (an error renders as red
 * source text), bounded macro expansion. renderToString escapes its input, and
 * labels reach equations only after sanitising (src/compiler/equations.ts), so
 * its output is the one string the UI passes to {@html}. The app loads this
 * module (and KaTeX with it) on demand, through typeset.svelte.ts.
 */
import katex from 'katex';

export const KATEX_OPTIONS = {
  throwOnError: false,
  trust: false,
  strict: 'ignore',
  output: 'htmlAndMathml',
  maxExpand: 200,
  maxSize: 20,
} as const;

export function renderLatex(latex: string, displayMode = false): string {
  return katex.renderToString(latex, { ...KATEX_OPTIONS, displayMode });
}
