/**
 * The presenter view's store: the play of one time step moves one node at a time, within the
 * step's bounds; the canvas gets the revealed nodes' values, in the walk-through's order; Play
 * advances on its own until the end. The values themselves are tested in tests/runtime/walkthrough.test.ts.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EditorState } from '../../src/ui/state.svelte';
import { CANVAS_UNITS, formatUnits, PLAY_EVERY_MS, PresenterStore } from '../../src/ui/presenter.svelte';
import { loadExample } from '../helpers';

describe('formatting a vector for the projector', () => {
  it('writes the first units rounded to two decimals, with a real minus sign and "…" when there are more', () => {
    expect(formatUnits(Float64Array.from([0.734, -0.1249, 0.5]), 2)).toBe('0.73 −0.12 …');
    expect(formatUnits([1, -0.001], 2)).toBe('1.00 0.00');
    expect(formatUnits([0.5], 4)).toBe('0.50');
  });
});

describe('the presenter store', () => {
  afterEach(() => vi.useRealTimers());

  const lstm = () => new PresenterStore(new EditorState(loadExample('lstm')));

  it('reveals one node per step, never past the step or before its start, and gives the canvas the revealed values', () => {
    const presenter = lstm();
    const total = presenter.reveals.length;
    expect(total).toBe(loadExample('lstm').nodes.length);
    expect(presenter.current).toBeUndefined();
    presenter.previous();
    expect(presenter.shown).toBe(0);
    for (let step = 1; step <= total; step++) {
      presenter.next();
      expect(presenter.current?.nodeId).toBe(presenter.reveals[step - 1].nodeId);
      const values = presenter.canvasValues();
      expect([...values.keys()]).toEqual(presenter.reveals.slice(0, step).map((r) => r.nodeId));
      expect(values.get(presenter.reveals[step - 1].nodeId)).toBe(formatUnits(presenter.reveals[step - 1].value, CANVAS_UNITS));
    }
    presenter.next();
    expect(presenter.shown).toBe(total);
    presenter.previous();
    expect(presenter.shown).toBe(total - 1);
    presenter.reset();
    expect(presenter.canvasValues().size).toBe(0);
  });

  it('plays to the end on its own, then stops; Play again starts over; leaving stops it', () => {
    vi.useFakeTimers();
    const presenter = lstm();
    presenter.enter();
    presenter.play();
    vi.advanceTimersByTime(PLAY_EVERY_MS * 3);
    expect(presenter.shown).toBe(3);
    presenter.togglePlay();
    vi.advanceTimersByTime(PLAY_EVERY_MS * 3);
    expect(presenter.shown).toBe(3);
    presenter.togglePlay();
    vi.advanceTimersByTime(PLAY_EVERY_MS * presenter.reveals.length);
    expect(presenter.shown).toBe(presenter.reveals.length);
    expect(presenter.playing).toBe(false);
    presenter.play();
    expect(presenter.shown).toBe(0);
    vi.advanceTimersByTime(PLAY_EVERY_MS);
    presenter.leave();
    vi.advanceTimersByTime(PLAY_EVERY_MS * 3);
    expect([presenter.active, presenter.playing, presenter.shown]).toEqual([false, false, 1]);
  });

  it('has nothing to play while the cell does not compile', () => {
    const cell = loadExample('lstm');
    const broken = { ...cell, connections: cell.connections.filter((c) => c.to !== 'f') };
    const presenter = new PresenterStore(new EditorState(broken));
    expect(presenter.reveals).toEqual([]);
    presenter.play();
    presenter.next();
    expect([presenter.playing, presenter.shown]).toEqual([false, 0]);
  });
});
