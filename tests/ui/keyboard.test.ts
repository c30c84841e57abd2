import { describe, expect, it } from 'vitest';
import { chordLabel, isTypingTarget, shortcutFor, SHORTCUTS, type KeyLike } from '../../src/ui/lib/keyboard';
import { STRINGS } from '../../src/ui/lib/strings';

const key = (k: string, mods: Partial<Omit<KeyLike, 'key'>> = {}): KeyLike => ({ key: k, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods });

describe('keyboard shortcuts', () => {
  it('maps undo and the two redo chords, with Ctrl or Cmd', () => {
    expect(shortcutFor(key('z', { ctrlKey: true }))).toBe('undo');
    expect(shortcutFor(key('z', { metaKey: true }))).toBe('undo');
    expect(shortcutFor(key('Z', { ctrlKey: true, shiftKey: true }))).toBe('redo');
    expect(shortcutFor(key('Z', { metaKey: true, shiftKey: true }))).toBe('redo');
    expect(shortcutFor(key('y', { ctrlKey: true }))).toBe('redo');
  });

  it('maps editing keys, and leaves plain letters and Alt chords alone', () => {
    expect(shortcutFor(key('Delete'))).toBe('delete');
    expect(shortcutFor(key('Backspace'))).toBe('delete');
    expect(shortcutFor(key('c', { ctrlKey: true }))).toBe('copy');
    expect(shortcutFor(key('x', { ctrlKey: true }))).toBe('cut');
    expect(shortcutFor(key('v', { ctrlKey: true }))).toBe('paste');
    expect(shortcutFor(key('d', { ctrlKey: true }))).toBe('duplicate');
    expect(shortcutFor(key('a', { ctrlKey: true }))).toBe('selectAll');
    expect(shortcutFor(key('f'))).toBe('fit');
    expect(shortcutFor(key('l'))).toBe('arrange');
    expect(shortcutFor(key('s', { metaKey: true }))).toBe('save');
    expect(shortcutFor(key('?', { shiftKey: true }))).toBe('help');
    expect(shortcutFor(key('Escape'))).toBe('deselect');
    expect(shortcutFor(key('c'))).toBeUndefined();
    expect(shortcutFor(key('a'))).toBeUndefined();
    expect(shortcutFor(key('F', { shiftKey: true }))).toBeUndefined();
    expect(shortcutFor(key('f', { ctrlKey: true }))).toBeUndefined();
    expect(shortcutFor(key('z', { ctrlKey: true, altKey: true }))).toBeUndefined();
  });

  it('has one chord per action at most once', () => {
    const seen = new Set<string>();
    for (const s of SHORTCUTS) {
      for (const c of s.chords) {
        const id = JSON.stringify(c);
        expect(seen.has(id), id).toBe(false);
        seen.add(id);
      }
    }
  });

  it('steps aside while typing in a field', () => {
    expect(isTypingTarget({ tagName: 'INPUT' })).toBe(true);
    expect(isTypingTarget({ tagName: 'textarea' })).toBe(true);
    expect(isTypingTarget({ tagName: 'SELECT' })).toBe(true);
    expect(isTypingTarget({ tagName: 'DIV', isContentEditable: true })).toBe(true);
    expect(isTypingTarget({ tagName: 'BUTTON' })).toBe(false);
    expect(isTypingTarget(null)).toBe(false);
  });

  it('writes chords for the help in both languages and on a Mac', () => {
    const redo = SHORTCUTS.find((s) => s.action === 'redo')?.chords[0];
    expect(redo && chordLabel(redo, false, STRINGS.en.keyNames)).toBe('Ctrl+Shift+Z');
    expect(redo && chordLabel(redo, false, STRINGS.es.keyNames)).toBe('Ctrl+Mayús+Z');
    expect(redo && chordLabel(redo, true, STRINGS.en.keyNames)).toBe('⌘⇧Z');
    expect(chordLabel({ key: 'Delete' }, false, STRINGS.es.keyNames)).toBe('Supr');
  });
});
