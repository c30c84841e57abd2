import { text } from './kit';
import { PRECEDENCE, type NodeDef } from './types';

export const output = {
  kind: 'output',
  label: text('Output y_t', 'Salida y_t'),
  symbol: 'y_t',
  category: 'io',
  role: 'output',
  params: {},
  inputPorts: () => ['y'],
  outputPort: null,
  shape: ({ inputs }) => ({ size: inputs[0] }),
  precedence: PRECEDENCE.atom,
  operandPrecedence: PRECEDENCE.none,
  latex: ({ inputs }) => inputs[0],
  text: ({ inputs }) => inputs[0],
  docs: text(
    'What the cell emits at each step, y_t (often the new hidden state). A task\'s readout reads it.',
    'Lo que la celda emite en cada paso, y_t (a menudo el nuevo estado oculto). La capa de lectura de una tarea lo lee.',
  ),
  examples: [],
  gradcheck: { low: -1, high: 1 },
} as const satisfies NodeDef;
