/**
 * KaTeX on demand. math.ts, and KaTeX with it, is a chunk of its own, loaded
 * the first time a formula is asked for: the app and its project list start
 * without it. A formula asked for before it arrives is undefined, and the
 * $derived that asked runs again once it has (it read `#render`).
 */
import type { renderLatex } from './math';

class Typesetter {
  #render = $state.raw<typeof renderLatex | undefined>();
  #loading = false;
  /** Why KaTeX could not be loaded ('' while it loads or once it has). */
  failed = $state('');

  /** `latex` as HTML, or undefined until KaTeX has loaded. */
  html(latex: string, displayMode = false): string | undefined {
    const render = this.#render;
    if (render) return render(latex, displayMode);
    this.#load();
    return undefined;
  }

  #load(): void {
    if (this.#loading) return;
    this.#loading = true;
    import('./math').then(
      (math) => {
        this.#render = math.renderLatex;
        this.failed = '';
      },
      (e: unknown) => {
        // Asked again on the next formula: a network hiccup need not last.
        this.#loading = false;
        this.failed = e instanceof Error ? e.message : String(e);
      },
    );
  }
}

export const typesetter = new Typesetter();
