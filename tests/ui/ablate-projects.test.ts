/** The project store's ablations (Export ▸ Ablations as new projects) on fake-indexeddb: new projects only, the open one untouched. */
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { getProject, openDatabase } from '../../src/storage';
import { language } from '../../src/ui/i18n.svelte';
import { ProjectStore, WELCOMED_KEY } from '../../src/ui/projects.svelte';
import { EditorState } from '../../src/ui/state.svelte';
import { memoryStorage } from './memory-storage';

const stores: ProjectStore[] = [];
beforeEach(() => {
  vi.stubGlobal('localStorage', memoryStorage({ [WELCOMED_KEY]: '1' }));
});
afterEach(() => {
  for (const s of stores.splice(0)) s.destroy();
  vi.unstubAllGlobals();
  language.set('en');
});

async function opened(database: string): Promise<ProjectStore> {
  const store = new ProjectStore(new EditorState(), database);
  stores.push(store);
  await store.start();
  store.rendered();
  return store;
}

describe('ablations as new projects', () => {
  it('stores one project per variant, named after it, and leaves the open project open and as it was', async () => {
    const database = `celda-ablate-${crypto.randomUUID()}`;
    const store = await opened(database);
    language.set('es');
    await store.openExample('lstm');
    const openId = store.currentId;
    const cell = store.editor.cell;
    const before = store.projects.length;

    await store.createAblations(cell);

    expect(store.currentId).toBe(openId);
    expect(store.editor.cell).toBe(cell);
    expect(store.projects.length).toBe(before + 7);
    const names = store.projects.map((p) => p.name);
    for (const name of ['LSTM, sin puerta de entrada (NIG)', 'LSTM, recurrencia completa de puertas (FGR)']) expect(names).toContain(name);
    expect(store.message).toBe('Se hicieron 7 ablaciones de «LSTM» como proyectos nuevos: NIG, NFG, NOG, NIAF, NOAF, CIFG, FGR. '
      + 'Se omitió NP: ninguna puerta suma un vector aprendido por un estado (una mirilla).');

    const db = await openDatabase(database);
    if (!db.ok) throw new Error(db.error.message);
    const stored = await getProject(db.db, openId as string);
    const fgrId = store.projects.find((p) => p.name.endsWith('(FGR)'))?.id as string;
    const fgr = await getProject(db.db, fgrId);
    db.db.close();
    if (stored.status !== 'ok' || fgr.status !== 'ok') throw new Error('not stored');
    expect(stored.value.cell).toEqual(cell);
    expect(fgr.value.cell.metadata.name).toBe('LSTM, recurrencia completa de puertas (FGR)');
    expect(fgr.value.cell.nodes.filter((n) => n.kind === 'state')).toHaveLength(5);
  });

  it('makes nothing for a cell without gate labels, and says why', async () => {
    const store = await opened(`celda-ablate-${crypto.randomUUID()}`);
    await store.openExample('rnn');
    const before = store.projects.length;
    await store.createAblations(store.editor.cell);
    expect(store.projects.length).toBe(before);
    expect(store.message).toMatch(/^No ablation was made\. No gate could be recognised for the ablations: .* The cell has no sigmoid\.$/);
  });
});
