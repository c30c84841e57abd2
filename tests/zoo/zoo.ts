/** Loading and compiling the zoo's cell files for the zoo tests. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ZOO } from '../../examples/zoo';
import { compile, type Compiled } from '../../src/compiler';
import type { SizeOverrides } from '../../src/compiler/ir';
import { loadCell } from '../../src/model/load';

export const ZOO_IDS = ZOO.map((e) => e.id);

export const zooPath = (id: string): string => fileURLToPath(new URL(`../../examples/zoo/${id}.json`, import.meta.url));

export const zooText = (id: string): string => readFileSync(zooPath(id), 'utf8');

/** Loads and compiles a zoo cell, failing on any diagnostic (warnings included). */
export function compileZoo(id: string, sizes: SizeOverrides = {}): Compiled {
  const loaded = loadCell(JSON.parse(zooText(id)));
  if (!loaded.ok || loaded.diagnostics.length > 0) throw new Error(`${id} does not load cleanly: ${JSON.stringify(loaded.diagnostics)}`);
  const compiled = compile(loaded.value, sizes);
  if (!compiled.ok || compiled.diagnostics.length > 0) throw new Error(`${id} does not compile cleanly: ${JSON.stringify(compiled.diagnostics)}`);
  return compiled.value;
}
