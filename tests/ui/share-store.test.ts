/**
 * Share links in the project store (fake-indexeddb): a start with a link opens
 * the shared cell as a new project instead of the last one, never changing a
 * stored project; a bad link opens nothing and shows its diagnostics; a link
 * opened later (a second one pasted) adds another project; the lesson part is
 * handed to the lessons through `sharedLesson`.
 */
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cellFileText } from '../../src/ui/lib/files';
import { deflate, makeShareFragment, SHARE_PREFIX, toBase64Url } from '../../src/ui/lib/share';
import { ProjectStore, WELCOMED_KEY } from '../../src/ui/projects.svelte';
import { EditorState } from '../../src/ui/state.svelte';
import { loadExample } from '../helpers';

const stores: ProjectStore[] = [];
beforeEach(() => {
  const items = new Map<string, string>([[WELCOMED_KEY, '1']]);
  vi.stubGlobal('localStorage', {
    getItem: (k: string) => items.get(k) ?? null,
    setItem: (k: string, v: string) => void items.set(k, String(v)),
    removeItem: (k: string) => void items.delete(k),
  });
});
afterEach(() => {
  for (const s of stores.splice(0)) s.destroy();
  vi.unstubAllGlobals();
});

async function start(name: string, link?: string): Promise<ProjectStore> {
  const store = new ProjectStore(new EditorState(), name);
  stores.push(store);
  await store.start({ link });
  store.rendered();
  return store;
}

async function linkTo(example: string, lesson?: { id: string; step: number }): Promise<string> {
  const made = await makeShareFragment(loadExample(example), lesson);
  if (!made.ok) throw new Error('too long');
  return made.fragment;
}

describe('share links in the project store', () => {
  it('a start with a link opens the shared cell as a new project, the others kept', async () => {
    const name = `celda-share-${crypto.randomUUID()}`;
    const first = await start(name);
    const storedId = first.currentId;
    const stored = first.projects.find((p) => p.id === storedId);
    first.destroy();

    const store = await start(name, await linkTo('gru', { id: 'gru-gates', step: 2 }));
    expect(store.currentId).not.toBe(storedId);
    expect(store.currentName).toBe('GRU (reset before)');
    expect(cellFileText(store.editor.cell)).toBe(cellFileText(loadExample('gru')));
    expect(store.projects.map((p) => p.name).sort()).toEqual(['GRU (reset before)', 'New cell']);
    expect(store.projects.find((p) => p.id === storedId)).toEqual(stored);
    expect(store.sharedLesson).toEqual({ id: 'gru-gates', step: 2 });
    expect(store.fileProblems).toBeUndefined();
  });

  it('a bad link opens nothing, shows its diagnostics and the start goes on as without it', async () => {
    const name = `celda-share-${crypto.randomUUID()}`;
    const store = await start(name, `${SHARE_PREFIX}not*base64`);
    expect(store.projects.map((p) => p.name)).toEqual(['New cell']);
    expect(store.fileProblems?.file).toBe('the shared link');
    expect(store.fileProblems?.diagnostics.map((d) => d.code)).toEqual(['link-not-base64']);

    const invalidCell = SHARE_PREFIX + toBase64Url(await deflate(new TextEncoder().encode('{"v":1,"cell":{"format":"celda-cell","version":1}}')));
    expect(await store.openSharedLink(invalidCell)).toBeUndefined();
    expect(store.fileProblems?.diagnostics.map((d) => d.code)).toContain('bad-metadata');
    expect(store.projects).toHaveLength(1);
  });

  it('a link opened while the app is open adds a project each time, even for the same cell', async () => {
    const store = await start(`celda-share-${crypto.randomUUID()}`);
    const link = await linkTo('lstm');
    const opened = await store.openSharedLink(link);
    expect(opened?.cell.metadata.name).toBe('LSTM');
    await store.openSharedLink(link);
    expect(store.projects.map((p) => p.name).sort()).toEqual(['LSTM', 'LSTM', 'New cell']);
    expect(store.sharedLesson).toBeUndefined();
  });
});
