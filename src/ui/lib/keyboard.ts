/**
 * Keyboard shortcuts as data: which key does what, and a pure matcher the
 * window-level handler calls. Shortcuts never fire while a person types in a
 * field (input, textarea, select, contenteditable).
 */
import type { ShortcutAction } from './strings';

export type { ShortcutAction } from './strings';

export interface KeyLike {
  readonly key: string;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly shiftKey: boolean;
  readonly altKey: boolean;
}

/** One way to press a shortcut: "mod" is Ctrl, or ⌘ on a Mac. */
export interface Chord {
  readonly key: string;
  readonly mod?: boolean;
  readonly shift?: boolean;
  /** The real Ctrl key even on a Mac (Ctrl+Y). */
  readonly ctrl?: boolean;
}

export interface Shortcut {
  readonly action: ShortcutAction;
  readonly chords: readonly Chord[];
}

/** In the order the help lists them. */
export const SHORTCUTS: readonly Shortcut[] = [
  { action: 'undo', chords: [{ key: 'z', mod: true }] },
  { action: 'redo', chords: [{ key: 'z', mod: true, shift: true }, { key: 'y', ctrl: true }] },
  { action: 'delete', chords: [{ key: 'Delete' }, { key: 'Backspace' }] },
  { action: 'copy', chords: [{ key: 'c', mod: true }] },
  { action: 'cut', chords: [{ key: 'x', mod: true }] },
  { action: 'paste', chords: [{ key: 'v', mod: true }] },
  { action: 'duplicate', chords: [{ key: 'd', mod: true }] },
  { action: 'selectAll', chords: [{ key: 'a', mod: true }] },
  { action: 'deselect', chords: [{ key: 'Escape' }] },
  { action: 'fit', chords: [{ key: 'f' }] },
  { action: 'arrange', chords: [{ key: 'l' }] },
  { action: 'save', chords: [{ key: 's', mod: true }] },
  { action: 'help', chords: [{ key: '?' }] },
];

/**
 * Letters compare without case (Shift+Z reports "Z"). "mod" accepts Ctrl or ⌘ on
 * any platform; "?" is itself a shifted key on most layouts, so Shift is not checked for it.
 */
function matches(e: KeyLike, chord: Chord): boolean {
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  if (key !== chord.key || e.altKey) return false;
  if (chord.ctrl) return e.ctrlKey && !e.metaKey && !e.shiftKey;
  if (Boolean(chord.mod) !== (e.ctrlKey || e.metaKey)) return false;
  return chord.key === '?' || Boolean(chord.shift) === e.shiftKey;
}

/** The action a key press asks for, or undefined. */
export function shortcutFor(e: KeyLike): ShortcutAction | undefined {
  return SHORTCUTS.find((s) => s.chords.some((c) => matches(e, c)))?.action;
}

/** Whether the key press happened while typing in a field (then shortcuts stay out of the way). */
export function isTypingTarget(target: unknown): boolean {
  if (typeof target !== 'object' || target === null) return false;
  const el = target as { tagName?: unknown; isContentEditable?: unknown };
  const tag = typeof el.tagName === 'string' ? el.tagName.toUpperCase() : '';
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || el.isContentEditable === true;
}

export function isMac(platform: string | undefined): boolean {
  return /mac|iphone|ipad/i.test(platform ?? '');
}

/** How a chord is written in the help: "Ctrl+Shift+Z", "⌘Z", "Delete". */
export function chordLabel(chord: Chord, mac: boolean, keyNames: Readonly<Record<'delete' | 'backspace' | 'escape' | 'shift', string>>): string {
  const named: Record<string, string> = { Delete: keyNames.delete, Backspace: keyNames.backspace, Escape: keyNames.escape };
  const key = named[chord.key] ?? chord.key.toUpperCase();
  const parts: string[] = [];
  if (chord.ctrl) parts.push(mac ? '⌃' : 'Ctrl');
  if (chord.mod) parts.push(mac ? '⌘' : 'Ctrl');
  if (chord.shift) parts.push(mac ? '⇧' : keyNames.shift);
  parts.push(key);
  return mac ? parts.join('') : parts.join('+');
}
