/**
 * The differences compareCells finds (equivalence.ts), as sentences for the
 * learner, in English and Spanish. One entry per code; the type system makes
 * every code present in both languages. Values in params are notation (a_{t−1},
 * σ) or the learner's own node names, passed through as they are.
 */
import type { Text } from '../../nodes/types';
import type { Difference, DifferenceCode, InitialState } from './equivalence';

export type Language = keyof Text;

type ParamsOf<C extends DifferenceCode> = Extract<Difference, { code: C }>['params'];

type Messages = { readonly [C in DifferenceCode]: { readonly [L in Language]: (p: ParamsOf<C>) => string } };

/** A verb for what a node does with a value: present tense and infinitive. */
interface Verb {
  readonly does: string;
  readonly do: string;
}

const VERBS: { readonly [L in Language]: Readonly<Record<string, Verb>> & { readonly other: Verb } } = {
  en: {
    multiply: { does: 'multiplies', do: 'multiply' },
    add: { does: 'adds', do: 'add' },
    linear: { does: 'reads', do: 'read' },
    concat: { does: 'joins', do: 'join' },
    output: { does: 'outputs', do: 'output' },
    state: { does: 'stores', do: 'store' },
    other: { does: 'takes', do: 'take' },
  },
  es: {
    multiply: { does: 'multiplica', do: 'multiplicar' },
    add: { does: 'suma', do: 'sumar' },
    linear: { does: 'lee', do: 'leer' },
    concat: { does: 'une', do: 'unir' },
    output: { does: 'emite', do: 'emitir' },
    state: { does: 'guarda', do: 'guardar' },
    other: { does: 'toma', do: 'tomar' },
  },
};

const verb = (language: Language, op: string): Verb => (Object.hasOwn(VERBS[language], op) ? VERBS[language][op] : VERBS[language].other);

const START: { readonly [L in Language]: Readonly<Record<InitialState, string>> } = {
  en: { zeros: 'zeros', learned: 'a learned vector' },
  es: { zeros: 'ceros', learned: 'un vector aprendido' },
};

const counted = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

export const DIFFERENCE_MESSAGES: Messages = {
  'wrong-state-count': {
    en: (p) => `Your cell has ${counted(p.found, 'state', 'states')}; the target cell has ${p.expected}.`,
    es: (p) => `Tu celda tiene ${counted(p.found, 'estado', 'estados')}; la celda objetivo tiene ${p.expected}.`,
  },
  'wrong-size': {
    en: (p) => `Node "${p.node}" has ${p.found} elements where the target cell's ${p.target} has ${p.expected}.`,
    es: (p) => `El nodo "${p.node}" tiene ${p.found} elementos donde ${p.target} de la celda objetivo tiene ${p.expected}.`,
  },
  'wrong-initial-state': {
    en: (p) => `State "${p.node}" starts from ${START.en[p.found]}; the target cell's ${p.target} starts from ${START.en[p.expected]}.`,
    es: (p) => `El estado "${p.node}" empieza en ${START.es[p.found]}; ${p.target} de la celda objetivo empieza en ${START.es[p.expected]}.`,
  },
  'wrong-activation': {
    en: (p) => `Node "${p.node}" uses ${p.found} where ${p.expected} is expected (${p.target} in the target cell).`,
    es: (p) => `El nodo "${p.node}" usa ${p.found} donde se espera ${p.expected} (${p.target} en la celda objetivo).`,
  },
  'wrong-operation': {
    en: (p) => `Node "${p.node}" computes ${p.found} where the target cell computes ${p.expected} (${p.target}).`,
    es: (p) => `El nodo "${p.node}" calcula ${p.found} donde la celda objetivo calcula ${p.expected} (${p.target}).`,
  },
  'wrong-operand': {
    en: (p) => `Node "${p.node}" ${verb('en', p.op).does} ${p.found}; it should ${verb('en', p.op).do} ${p.expected}.`,
    es: (p) => `El nodo "${p.node}" ${verb('es', p.op).does} ${p.found}; debería ${verb('es', p.op).do} ${p.expected}.`,
  },
  'missing-node': {
    en: (p) => `Node "${p.node}" ${verb('en', p.op).does} ${p.found} where the target cell has ${p.expected}: ${p.missing} is missing.`,
    es: (p) => `El nodo "${p.node}" ${verb('es', p.op).does} ${p.found} donde la celda objetivo tiene ${p.expected}: falta ${p.missing}.`,
  },
  'extra-node': {
    en: (p) => `Node "${p.node}" ${verb('en', p.op).does} ${p.found} where the target cell has ${p.expected}: ${p.extra} is not in the target cell.`,
    es: (p) => `El nodo "${p.node}" ${verb('es', p.op).does} ${p.found} donde la celda objetivo tiene ${p.expected}: ${p.extra} no está en la celda objetivo.`,
  },
  'missing-input': {
    en: (p) => `Node "${p.node}" does not read ${p.expected}; the target cell's ${p.target} does.`,
    es: (p) => `El nodo "${p.node}" no lee ${p.expected}; ${p.target} de la celda objetivo sí lo lee.`,
  },
  'extra-input': {
    en: (p) => `Node "${p.node}" reads ${p.found}; the target cell's ${p.target} does not.`,
    es: (p) => `El nodo "${p.node}" lee ${p.found}; ${p.target} de la celda objetivo no lo lee.`,
  },
  'missing-bias': {
    en: (p) => `Node "${p.node}" has no bias; the target cell's ${p.target} has one.`,
    es: (p) => `El nodo "${p.node}" no tiene sesgo; ${p.target} de la celda objetivo sí tiene.`,
  },
  'extra-bias': {
    en: (p) => `Node "${p.node}" adds a bias; the target cell's ${p.target} has none.`,
    es: (p) => `El nodo "${p.node}" suma un sesgo; ${p.target} de la celda objetivo no tiene.`,
  },
  'different-sharing': {
    en: (p) => `Node "${p.node}" is shared differently from the target cell's ${p.target}: one cell computes the value once and reuses it, the other computes it apart, with weights of its own.`,
    es: (p) => `El nodo "${p.node}" se comparte de otro modo que ${p.target} de la celda objetivo: una celda calcula el valor una vez y lo reutiliza, la otra lo calcula aparte, con pesos propios.`,
  },
  'unused-node': {
    en: (p) => `Node "${p.node}" is not used: neither the output nor any state depends on it.`,
    es: (p) => `El nodo "${p.node}" no se usa: ni la salida ni ningún estado dependen de él.`,
  },
  'unlocated-difference': {
    en: () => 'Your cell computes something different from the target cell, but the checker cannot point at one node.',
    es: () => 'Tu celda calcula algo distinto de la celda objetivo, pero el comprobador no puede señalar un nodo.',
  },
  'computes-differently': {
    en: (p) => `Your cell has the target cell's structure but computes other values (largest difference ${p.difference.toPrecision(3)}): this is a bug in the checker; please report it.`,
    es: (p) => `Tu celda tiene la estructura de la celda objetivo pero calcula otros valores (mayor diferencia ${p.difference.toPrecision(3)}): es un error del comprobador; por favor, notifícalo.`,
  },
};

export function differenceMessage(d: Difference, language: Language): string {
  const render = DIFFERENCE_MESSAGES[d.code][language] as (p: Difference['params']) => string;
  return render(d.params);
}
