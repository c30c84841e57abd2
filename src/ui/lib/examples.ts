/**
 * The cells a document starts from, in the UI language: the examples gallery
 * (examples/*.json; in Spanish, names, descriptions and gate labels come from
 * examples/i18n/es.json and the equations stay the same) and a blank cell.
 */
import gruResetAfter from '../../../examples/gru-reset-after.json';
import gru from '../../../examples/gru.json';
import spanish from '../../../examples/i18n/es.json';
import lstm from '../../../examples/lstm.json';
import rnn from '../../../examples/rnn.json';
import type { Cell } from '../../model/cell';
import type { Result } from '../../model/diagnostics';
import { newCell, setLabel } from '../../model/edit';
import { loadCell } from '../../model/load';
import { translateCell } from '../../model/translate';
import type { ExampleId, Lang, Strings } from './strings';

/** The gallery, in the order it is shown. */
export const EXAMPLE_IDS: readonly ExampleId[] = ['rnn', 'lstm', 'gru', 'gru-reset-after'];

const FILES: Readonly<Record<ExampleId, unknown>> = { rnn, lstm, gru, 'gru-reset-after': gruResetAfter };

/** An example cell in `lang`, read through the same loader as any file. */
export function exampleCell(id: ExampleId, lang: Lang): Result<Cell> {
  const loaded = loadCell(FILES[id]);
  if (!loaded.ok || lang === 'en') return loaded;
  return { ...loaded, value: translateCell(loaded.value, spanish.cells[id]) };
}

/** A new cell (an input, a hidden state and an output), named and labelled in the UI language. */
export function blankCell(t: Strings): Cell {
  return setLabel(newCell(t.newCellName), 'h', t.newCellStateLabel);
}
