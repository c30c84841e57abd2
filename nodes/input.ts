import { sizeName } from '../src/model/sizes';
import { text } from './kit';
import { PRECEDENCE, type NodeDef } from './types';

export const input = {
  kind: 'input',
  label: text('Input x_t', 'Entrada x_t'),
  symbol: 'x_t',
  category: 'io',
  role: 'input',
  params: {},
  inputPorts: () => [],
  outputPort: 'x',
  shape: () => ({ size: sizeName('input') }),
  precedence: PRECEDENCE.atom,
  operandPrecedence: PRECEDENCE.none,
  latex: () => 'x_t',
  text: () => 'x_t',
  docs: text(
    'The current element of the sequence, x_t (size "input"). Place it as often as the drawing needs: every copy reads the same x_t.',
    'El elemento actual de la secuencia, x_t (tamaño "input"). Colócalo tantas veces como el dibujo pida: todas las copias leen el mismo x_t.',
  ),
  examples: [],
  gradcheck: { low: -1, high: 1 },
} as const satisfies NodeDef;
