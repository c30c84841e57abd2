/** Celda's browser storage (IndexedDB through Dexie): the app imports from here. */
export * from './db';
export * from './projects';
export * from './runs';
export * from './files';
export * from './workshop';
export { STORAGE_LIMITS } from './validate';
export * from './arena';
