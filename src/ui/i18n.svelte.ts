/**
 * The UI's two languages. Strings live in one table per language
 * (lib/strings.ts); the choice is remembered in localStorage. Node names and
 * docs come from the node registry (en/es).
 */
import type { Text } from '../../nodes/types';
import { STRINGS, type Lang, type Strings } from './lib/strings';

export type { Lang, Strings } from './lib/strings';

const STORAGE_KEY = 'celda.lang';

function initialLang(): Lang {
  try {
    const saved = globalThis.localStorage?.getItem(STORAGE_KEY);
    if (saved === 'en' || saved === 'es') return saved;
  } catch {
    // Storage can be unavailable (private mode): fall back to the browser's language.
  }
  return globalThis.navigator?.language?.startsWith('es') ? 'es' : 'en';
}

class Language {
  current = $state<Lang>(initialLang());
  /** The strings table of the current language. */
  t: Strings = $derived(STRINGS[this.current]);

  set(lang: Lang): void {
    this.current = lang;
    if (globalThis.document) globalThis.document.documentElement.lang = lang;
    try {
      globalThis.localStorage?.setItem(STORAGE_KEY, lang);
    } catch {
      // Not remembered, but still switched.
    }
  }

  /** A registry text (node label, docs) in the current language. */
  text(text: Text): string {
    return text[this.current];
  }
}

export const language = new Language();
