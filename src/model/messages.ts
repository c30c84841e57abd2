/**
 * What every diagnostic says, in English and Spanish, worded from its code and
 * params (src/model/diagnostics.ts). One entry per code, each made by `message`,
 * which takes both languages: a code without both does not compile, and the
 * params a call site passes are checked against the entry's.
 *
 * Params are plain JSON (names, ids, ports, size texts, numbers, small records
 * such as a shape problem), so a diagnostic can be worded again in the UI's
 * language long after it was made. Node labels, ids, ports, field paths and size
 * expressions are the file's own words: they appear as they are in both languages.
 */

export type Lang = 'en' | 'es';

/** A JSON value a diagnostic's params may hold. */
export type ParamJson = string | number | boolean | null | readonly ParamJson[] | { readonly [key: string]: ParamJson };
export type MessageParamsAny = Readonly<Record<string, ParamJson>>;

interface Bilingual<P> {
  readonly en: (p: P) => string;
  readonly es: (p: P) => string;
}

const message = <P extends MessageParamsAny>(en: (p: P) => string, es: (p: P) => string): Bilingual<P> => ({ en, es });

type Words = Record<Lang, string>;
const pick = (lang: Lang, words: Words): string => words[lang];

// ---------------------------------------------------------------------------
// Values from an untrusted file, as a message shows them
// ---------------------------------------------------------------------------

/** An untrusted value, shortened and safe: its text (strings quoted), or what it is (a list, an object). */
export type Shown =
  | { readonly text: string }
  | { readonly list: number }
  | { readonly type: string }
  /** Tensor values that are not base64 of float64 numbers. */
  | { readonly undecodable: true }
  /** A list or an object named by what it is, not by its length or type: "a list", "an array", "an object". */
  | { readonly what: 'list' | 'array' | 'object' }
  /** A plain value after its type, as params files name it: "number 3", "string \"x\"". */
  | { readonly typed: string; readonly text: string };

export function show(v: unknown): Shown {
  if (typeof v === 'string') return { text: JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v) };
  if (typeof v === 'number' || typeof v === 'boolean' || v === null || v === undefined) return { text: String(v) };
  if (Array.isArray(v)) return { list: v.length };
  return { type: typeof v };
}

/** As `show`, but a list (or `array`) or an object is named by what it is, not by its length or type. */
export function showWhat(v: unknown, list: 'list' | 'array' = 'list'): Shown {
  if (Array.isArray(v)) return { what: list };
  if (typeof v === 'object' && v !== null) return { what: 'object' };
  return show(v);
}

/** What a value is, and a plain value's text after its type: "a list of 3", "an object", "null", "number 1.5". */
export function showKind(v: unknown): Shown {
  if (Array.isArray(v)) return { list: v.length };
  if (v === null) return { text: 'null' };
  if (typeof v === 'object') return { what: 'object' };
  return { typed: typeof v, text: renderShown(show(v), 'en') };
}

const SPANISH_TYPES: Readonly<Record<string, string>> = {
  object: 'un objeto', function: 'una función', boolean: 'un booleano', string: 'un texto', number: 'un número',
};
/** A `typeof` name as a message says it. */
const typeName = (type: string, lang: Lang): string => (lang === 'es' ? (SPANISH_TYPES[type] ?? type) : type);

const WHAT: Readonly<Record<'list' | 'array' | 'object', Words>> = {
  list: { en: 'a list', es: 'una lista' },
  array: { en: 'an array', es: 'una lista' },
  object: { en: 'an object', es: 'un objeto' },
};
/** The type before a typed value, in Spanish with its article: "el número 3". */
const SPANISH_TYPED: Readonly<Record<string, string>> = { string: 'el texto', number: 'el número', boolean: 'el booleano' };

export function renderShown(s: Shown, lang: Lang): string {
  if ('typed' in s) return `${lang === 'es' ? (SPANISH_TYPED[s.typed] ?? s.typed) : s.typed} ${s.text}`;
  if ('text' in s) return s.text;
  if ('list' in s) return pick(lang, { en: `a list of ${s.list}`, es: `una lista de ${s.list}` });
  if ('undecodable' in s) return pick(lang, { en: '"(undecodable)"', es: '"(no decodificable)"' });
  if ('what' in s) return WHAT[s.what][lang];
  return typeName(s.type, lang);
}

const got = (lang: Lang, value: string): string => pick(lang, { en: `, got ${value}`, es: `; recibido: ${value}` });
const quoted = (xs: readonly string[]): string => xs.map((x) => `"${x}"`).join(', ');
/** English lists say "none" when empty; Spanish sentences word the empty case themselves. */
const quotedOrNone = (xs: readonly string[]): string => (xs.length === 0 ? 'none' : quoted(xs));

// ---------------------------------------------------------------------------
// Problems reported from inside a diagnostic: sizes, params, shapes
// ---------------------------------------------------------------------------

/** Why a size (a param such as linear's `out`) cannot be read. */
export type SizeProblem =
  | { readonly problem: 'not-whole'; readonly max: number; readonly got: string }
  | { readonly problem: 'not-a-size'; readonly type: string }
  | { readonly problem: 'too-long' }
  | { readonly problem: 'too-many-terms'; readonly max: number }
  | { readonly problem: 'unreadable-term'; readonly term: string; readonly size: string }
  | { readonly problem: 'coefficient-too-large'; readonly coefficient: number; readonly size: string };

export function renderSizeProblem(p: SizeProblem, lang: Lang): string {
  switch (p.problem) {
    case 'not-whole':
      return pick(lang, { en: `expected a whole number from 0 to ${p.max}`, es: `se esperaba un número entero de 0 a ${p.max}` }) + got(lang, p.got);
    case 'not-a-size':
      return pick(lang, { en: 'expected a size (a number or a name such as "hidden")', es: 'se esperaba un tamaño (un número o un nombre como "hidden")' }) + got(lang, typeName(p.type, lang));
    case 'too-long':
      return pick(lang, { en: 'size expression is too long', es: 'la expresión de tamaño es demasiado larga' });
    case 'too-many-terms':
      return pick(lang, { en: `size expression has more than ${p.max} terms`, es: `la expresión de tamaño tiene más de ${p.max} términos` });
    case 'unreadable-term':
      return pick(lang, { en: `cannot read "${p.term}" in size "${p.size}"`, es: `no se puede leer "${p.term}" en el tamaño "${p.size}"` });
    case 'coefficient-too-large':
      return pick(lang, { en: `coefficient ${p.coefficient} is too large in size "${p.size}"`, es: `el coeficiente ${p.coefficient} es demasiado grande en el tamaño "${p.size}"` });
  }
}

/** Why a node's param value is refused (`got` is the value as the file wrote it). */
export type ParamProblem =
  | SizeProblem
  | { readonly problem: 'number-range'; readonly min: number; readonly max: number; readonly got: string }
  | { readonly problem: 'integer-range'; readonly min: number; readonly max: number; readonly got: string }
  | { readonly problem: 'not-boolean'; readonly got: string }
  | { readonly problem: 'not-an-option'; readonly options: readonly string[]; readonly got: string };

function renderParamProblem(p: ParamProblem, lang: Lang): string {
  switch (p.problem) {
    case 'number-range':
      return pick(lang, { en: `expected a number from ${p.min} to ${p.max}`, es: `se esperaba un número de ${p.min} a ${p.max}` }) + got(lang, p.got);
    case 'integer-range':
      return pick(lang, { en: `expected a whole number from ${p.min} to ${p.max}`, es: `se esperaba un número entero de ${p.min} a ${p.max}` }) + got(lang, p.got);
    case 'not-boolean':
      return pick(lang, { en: 'expected true or false', es: 'se esperaba true o false' }) + got(lang, p.got);
    case 'not-an-option':
      return pick(lang, { en: `expected one of ${p.options.join(', ')}`, es: `se esperaba una de estas opciones: ${p.options.join(', ')}` }) + got(lang, p.got);
    default:
      return renderSizeProblem(p, lang);
  }
}

/** Why sizes disagree at a node (a node's shape rule or size check says which). Sizes are size texts such as "hidden + input". */
export type ShapeProblem =
  /** An elementwise operand's size differs from the first operand's (`reference`). */
  | { readonly problem: 'operand-size'; readonly port: string; readonly expected: string; readonly reference: string; readonly got: string }
  /** The value written into a state's `next` port has another size than the state. */
  | { readonly problem: 'state-size'; readonly expected: string; readonly got: string }
  /** A slice reaches past the end of its input (element numbers from 0). */
  | { readonly problem: 'slice-beyond-input'; readonly port: string; readonly first: number; readonly last: number; readonly available: number };

function renderShapeProblem(p: ShapeProblem, lang: Lang): string {
  switch (p.problem) {
    case 'operand-size':
      return pick(lang, {
        en: `${p.port} expects ${p.expected} (the size of ${p.reference}), got ${p.got}`,
        es: `${p.port} espera ${p.expected} (el tamaño de ${p.reference}), pero recibe ${p.got}`,
      });
    case 'state-size':
      return pick(lang, { en: `next expects ${p.expected} (the state's size), got ${p.got}`, es: `next espera ${p.expected} (el tamaño del estado), pero recibe ${p.got}` });
    case 'slice-beyond-input':
      return pick(lang, {
        en: `takes elements ${p.first} to ${p.last} but ${p.port} has only ${p.available}`,
        es: `toma los elementos del ${p.first} al ${p.last}, pero ${p.port} solo tiene ${p.available}`,
      });
  }
}

/** What a stored field should have been (src/storage). */
export type FieldExpectation =
  | { readonly kind: 'object' | 'list' | 'json' | 'id' | 'hash' | 'task' | 'typed-array' | 'base64' | 'lesson-id' }
  | { readonly kind: 'text' | 'nonempty-text'; readonly max: number }
  | { readonly kind: 'number'; readonly min: number; readonly max: number; readonly integer: boolean }
  | { readonly kind: 'one-of'; readonly options: readonly string[] };

function renderExpectation(e: FieldExpectation, lang: Lang): string {
  switch (e.kind) {
    case 'object': return pick(lang, { en: 'an object', es: 'un objeto' });
    case 'list': return pick(lang, { en: 'a list', es: 'una lista' });
    case 'json': return pick(lang, { en: 'JSON data', es: 'datos JSON' });
    case 'id': return pick(lang, { en: 'an id of 1–64 characters from A–Z, a–z, 0–9, "_" or "-"', es: 'un id de 1 a 64 caracteres entre A–Z, a–z, 0–9, "_" o "-"' });
    case 'hash': return pick(lang, { en: 'a cell hash of 16 hex digits', es: 'un hash de celda de 16 dígitos hexadecimales' });
    case 'task': return pick(lang, { en: 'a task name', es: 'el nombre de una tarea' });
    case 'typed-array': return pick(lang, { en: 'a Float64Array', es: 'un Float64Array' });
    case 'base64': return pick(lang, { en: 'base64 of float64 values', es: 'valores float64 en base64' });
    case 'text': return pick(lang, { en: `text of at most ${e.max} characters without control characters`, es: `un texto de hasta ${e.max} caracteres, sin caracteres de control` });
    case 'nonempty-text': return pick(lang, { en: `text of 1 to ${e.max} characters without control characters`, es: `un texto de 1 a ${e.max} caracteres, sin caracteres de control` });
    case 'lesson-id': return pick(lang, { en: 'a lesson id of 1–64 characters from a–z, 0–9 and "-", starting with a letter or digit', es: 'un id de lección de 1 a 64 caracteres entre a–z, 0–9 y "-", que empiece por letra o dígito' });
    case 'number':
      return e.integer
        ? pick(lang, { en: `a finite whole number from ${e.min} to ${e.max}`, es: `un número entero finito de ${e.min} a ${e.max}` })
        : pick(lang, { en: `a finite number from ${e.min} to ${e.max}`, es: `un número finito de ${e.min} a ${e.max}` });
    case 'one-of': return pick(lang, { en: `one of ${e.options.join(', ')}`, es: `uno de estos: ${e.options.join(', ')}` });
  }
}

// ---------------------------------------------------------------------------
// Files: cell files (src/model/load.ts), project files and backups (src/storage/files.ts)
// ---------------------------------------------------------------------------

export type FileKind = 'cell' | 'project' | 'backup' | 'workshop';

/** The name of a file format: "the cell format", "a Celda project file". */
const FORMAT_NAMES: Readonly<Record<FileKind, Words>> = {
  cell: { en: 'cell', es: 'celda' },
  project: { en: 'Celda project', es: 'proyecto de Celda' },
  backup: { en: 'Celda backup', es: 'copia de seguridad de Celda' },
  workshop: { en: 'Celda workshop pack', es: 'paquete de taller de Celda' },
};
const formatName = (file: FileKind, lang: Lang): string => FORMAT_NAMES[file][lang];

/** Record kinds a backup links to (src/storage/files.ts). */
export type LinkTarget = 'project' | 'run';
const LINK_TARGETS: Readonly<Record<LinkTarget, Words>> = {
  project: { en: 'project', es: 'proyecto' },
  run: { en: 'run', es: 'entrenamiento' },
};

/** What a list holds, for `too-many` (src/storage). */
export type ItemKind = 'items' | 'keys' | 'records';
const ITEM_KINDS: Readonly<Record<ItemKind, Words>> = {
  items: { en: 'items', es: 'elementos' },
  keys: { en: 'keys', es: 'claves' },
  records: { en: 'records', es: 'registros' },
};

// ---------------------------------------------------------------------------
// Training (src/runtime): settings, tasks, checkpoints, params files
// ---------------------------------------------------------------------------

/** "a, b or c": the words are shown as they are (quote them first when they are JSON strings). */
function oneOf(xs: readonly string[], lang: Lang): string {
  if (xs.length < 2) return xs.join('');
  return `${xs.slice(0, -1).join(', ')} ${pick(lang, { en: 'or', es: 'o' })} ${xs[xs.length - 1]}`;
}

/** Quoted names, or "none" / "ninguno" for an empty list. */
const quotedList = (xs: readonly string[], lang: Lang): string => (xs.length === 0 ? pick(lang, { en: 'none', es: 'ninguno' }) : quoted(xs));

const NUMBER_KINDS: Readonly<Record<'whole' | 'finite' | 'any', Words>> = {
  whole: { en: 'a whole number', es: 'un número entero' },
  finite: { en: 'a finite number', es: 'un número finito' },
  any: { en: 'a number', es: 'un número' },
};

/**
 * A number outside its range (`field` as the message names it); `any` is the tasks' "a number".
 * Also a value that is not one of its `options`, shown as they are.
 */
export type SettingProblem =
  | { readonly problem: 'out-of-range'; readonly field: string; readonly number: 'whole' | 'finite' | 'any'; readonly min: number; readonly max: number; readonly got: Shown }
  | { readonly problem: 'one-of'; readonly field: string; readonly options: readonly string[]; readonly got: Shown };

function renderSetting(p: SettingProblem, lang: Lang): string {
  const expected = p.problem === 'one-of'
    ? oneOf(p.options, lang)
    : `${NUMBER_KINDS[p.number][lang]} ${pick(lang, { en: `from ${p.min} to ${p.max}`, es: `de ${p.min} a ${p.max}` })}`;
  return `${p.field} ${pick(lang, { en: 'must be', es: 'debe ser' })} ${expected}${got(lang, renderShown(p.got, lang))}`;
}

/**
 * Why a task, one of its options, its text or a batch shape is refused (src/runtime/tasks):
 * a TaskError's `problem`. Option and field names appear as they are in both languages.
 */
export type TaskProblem =
  | SettingProblem
  | { readonly problem: 'unknown-task'; readonly name: string; readonly tasks: readonly string[] }
  | { readonly problem: 'options-not-an-object'; readonly got: Shown }
  | { readonly problem: 'unknown-option'; readonly option: string; readonly task: string; readonly options: readonly string[] }
  /** The copy task's one length: its delay plus `span` steps. */
  | { readonly problem: 'copy-length'; readonly length: number; readonly delay: number; readonly span: number; readonly got: Shown }
  /** A character model's length: a window of length + 1 characters must fit in the validation split. */
  | { readonly problem: 'window-length'; readonly min: number; readonly max: number; readonly validation: number; readonly got: Shown }
  | { readonly problem: 'text-not-a-string' }
  | { readonly problem: 'text-empty' }
  /** `atLeast`: the text was refused on its length before its bytes were counted. */
  | { readonly problem: 'text-too-long'; readonly bytes: number; readonly atLeast: boolean; readonly max: number }
  | { readonly problem: 'text-too-many-characters'; readonly distinct: number; readonly max: number }
  | { readonly problem: 'text-too-short'; readonly chars: number; readonly min: number }
  | { readonly problem: 'split-too-small'; readonly fraction: number; readonly chars: number; readonly train: number; readonly validation: number; readonly min: number }
  /** `character`: the character and its code point, as `"🐶" (U+1F436)`. */
  | { readonly problem: 'unknown-character'; readonly character: string; readonly position: number };

/** A task problem as a clause, without a closing full stop (callers put it after "text: " or "The copy task: "). */
export function renderTaskProblem(p: TaskProblem, lang: Lang): string {
  switch (p.problem) {
    case 'out-of-range':
    case 'one-of':
      return renderSetting(p, lang);
    case 'unknown-task':
      return pick(lang, { en: `unknown task ${p.name}; the tasks are ${p.tasks.join(', ')}`, es: `tarea desconocida ${p.name}; las tareas son ${p.tasks.join(', ')}` });
    case 'options-not-an-object':
      return pick(lang, { en: 'options must be an object', es: 'options debe ser un objeto' }) + got(lang, renderShown(p.got, lang));
    case 'unknown-option':
      return p.options.length > 0
        ? pick(lang, { en: `${p.option} is not an option of the ${p.task} task: its options are ${p.options.join(', ')}`, es: `${p.option} no es una opción de la tarea ${p.task}: sus opciones son ${p.options.join(', ')}` })
        : pick(lang, { en: `${p.option} is not an option of the ${p.task} task: it takes none`, es: `${p.option} no es una opción de la tarea ${p.task}: no admite ninguna` });
    case 'copy-length':
      return pick(lang, { en: `length must be ${p.length} (delay ${p.delay} + ${p.span})`, es: `length debe ser ${p.length} (delay ${p.delay} + ${p.span})` }) + got(lang, renderShown(p.got, lang));
    case 'window-length':
      return pick(lang, {
        en: `length must be a whole number from ${p.min} to ${p.max} (a window is length + 1 characters and the validation split has ${p.validation})`,
        es: `length debe ser un número entero de ${p.min} a ${p.max} (una ventana tiene length + 1 caracteres y la parte de validación tiene ${p.validation})`,
      }) + got(lang, renderShown(p.got, lang));
    case 'text-not-a-string':
      return pick(lang, { en: 'text must be a string', es: 'text debe ser un texto' });
    case 'text-empty':
      return pick(lang, { en: 'text is empty', es: 'text está vacío' });
    case 'text-too-long': {
      const megabytes = p.max / (1024 * 1024);
      return pick(lang, {
        en: `text is too long: ${p.atLeast ? 'at least ' : ''}${p.bytes} bytes of UTF-8, at most ${p.max} (${megabytes} MB) are allowed`,
        es: `text es demasiado largo: ${p.atLeast ? 'al menos ' : ''}${p.bytes} bytes en UTF-8; se admiten como mucho ${p.max} (${megabytes} MB)`,
      });
    }
    case 'text-too-many-characters':
      return pick(lang, { en: `text has ${p.distinct} distinct characters; at most ${p.max} are allowed`, es: `text tiene ${p.distinct} caracteres distintos; se admiten como mucho ${p.max}` });
    case 'text-too-short':
      return pick(lang, { en: `text is too short: ${p.chars} characters, at least ${p.min} are needed`, es: `text es demasiado corto: ${p.chars} caracteres; se necesitan al menos ${p.min}` });
    case 'split-too-small':
      return pick(lang, {
        en: `validationFraction ${p.fraction} splits ${p.chars} characters into ${p.train} for training and ${p.validation} for validation; each split needs at least ${p.min}`,
        es: `validationFraction ${p.fraction} reparte ${p.chars} caracteres en ${p.train} para entrenar y ${p.validation} para validar; cada parte necesita al menos ${p.min}`,
      });
    case 'unknown-character':
      return pick(lang, { en: `unknown character ${p.character} at position ${p.position}`, es: `carácter desconocido ${p.character} en la posición ${p.position}` });
  }
}

/** What is wrong inside a checkpoint (src/runtime/checkpoint.ts); `field` is its JSON path. */
export type CheckpointProblem =
  /** stepsDone, task sizes and task.loss; the training settings under "config". */
  | SettingProblem
  | { readonly problem: 'not-an-object'; readonly part: 'optimizer' | 'task' }
  | { readonly problem: 'bad-config'; readonly got: Shown }
  | { readonly problem: 'bad-schedule' }
  | { readonly problem: 'slot-count'; readonly field: string; readonly arrays: number }
  | { readonly problem: 'task-name'; readonly got: Shown }
  | { readonly problem: 'input-size'; readonly inputSize: number; readonly reads: number }
  | { readonly problem: 'vocabulary-not-characters' }
  | { readonly problem: 'vocabulary-size'; readonly characters: number; readonly inputSize: Shown; readonly outputSize: Shown }
  /** A list of numbers of the wrong `count`, or a value of another `type` (typeof). */
  | { readonly problem: 'list-length'; readonly field: string; readonly length: number; readonly count: number }
  | { readonly problem: 'not-a-list'; readonly field: string; readonly length: number; readonly type: string }
  | { readonly problem: 'not-finite'; readonly field: string };

function renderCheckpointProblem(p: CheckpointProblem, lang: Lang): string {
  switch (p.problem) {
    case 'out-of-range':
    case 'one-of':
      return renderSetting(p, lang);
    case 'not-an-object':
      return p.part === 'optimizer'
        ? pick(lang, { en: 'The checkpoint\'s "optimizer" must be {"name", "t", "slots"}', es: 'El "optimizer" del punto de control debe ser {"name", "t", "slots"}' })
        : pick(lang, { en: 'The checkpoint\'s "task" must name the task and its input and output sizes', es: 'El "task" del punto de control debe nombrar la tarea y sus tamaños de entrada y de salida' });
    case 'bad-config':
      return pick(lang, { en: 'The checkpoint\'s "config" must be an object of training settings', es: 'El "config" del punto de control debe ser un objeto con los ajustes del entrenamiento' }) + got(lang, renderShown(p.got, lang));
    case 'bad-schedule':
      return pick(lang, { en: 'config.schedule must be {"kind": "constant"} or {"kind": "cosine", "warmup": N}', es: 'config.schedule debe ser {"kind": "constant"} o {"kind": "cosine", "warmup": N}' });
    case 'slot-count':
      return pick(lang, { en: `${p.field} must hold ${p.arrays} arrays`, es: `${p.field} debe contener ${p.arrays} listas` });
    case 'task-name':
      return pick(lang, { en: 'task.name must be the task\'s name', es: 'task.name debe ser el nombre de la tarea' }) + got(lang, renderShown(p.got, lang));
    case 'input-size':
      return pick(lang, {
        en: `task.inputSize is ${p.inputSize}, but the cell reads ${p.reads} values per step (sizes.input)`,
        es: `task.inputSize vale ${p.inputSize}, pero la celda lee ${p.reads} valores por paso (sizes.input)`,
      });
    case 'vocabulary-not-characters':
      return pick(lang, { en: 'task.vocabulary must be a list of characters', es: 'task.vocabulary debe ser una lista de caracteres' });
    case 'vocabulary-size': {
      const [inputSize, outputSize] = [renderShown(p.inputSize, lang), renderShown(p.outputSize, lang)];
      return pick(lang, {
        en: `task.vocabulary has ${p.characters} characters; a character model's inputSize and outputSize are its vocabulary size (here ${inputSize} and ${outputSize})`,
        es: `task.vocabulary tiene ${p.characters} caracteres; en un modelo de caracteres, inputSize y outputSize son el tamaño de su vocabulario (aquí ${inputSize} y ${outputSize})`,
      });
    }
    case 'list-length':
      return pick(lang, { en: `${p.field} must be a list of ${p.length} numbers, got ${p.count}`, es: `${p.field} debe ser una lista de ${p.length} números; tiene ${p.count}` });
    case 'not-a-list':
      return pick(lang, { en: `${p.field} must be a list of ${p.length} numbers`, es: `${p.field} debe ser una lista de ${p.length} números` }) + got(lang, typeName(p.type, lang));
    case 'not-finite':
      return pick(lang, { en: `${p.field} is not a finite number`, es: `${p.field} no es un número finito` });
  }
}

/** What is wrong with a tensor's values in a params file (src/runtime/params-file.ts). */
export type TensorProblem =
  | { readonly problem: 'not-a-list'; readonly got: Shown }
  /** A matrix with another number of rows. */
  | { readonly problem: 'rows'; readonly rows: number }
  /** A matrix row (`row`), or a vector (`row` null), with another number of `entries`. */
  | { readonly problem: 'length'; readonly row: number | null; readonly entries: number }
  | { readonly problem: 'row-not-a-list'; readonly row: number; readonly got: Shown };

/** A tensor's shape as messages write it: [3×5]. */
const shapeText = (shape: readonly number[]): string => `[${shape.join('×')}]`;

function renderTensorProblem(p: TensorProblem, tensor: string, shape: readonly number[], lang: Lang): string {
  const expected = shapeText(shape);
  const cols = shape[shape.length - 1];
  switch (p.problem) {
    case 'not-a-list': {
      const list = shape.length === 1 ? pick(lang, { en: 'a list of numbers', es: 'una lista de números' }) : pick(lang, { en: 'a list of rows', es: 'una lista de filas' });
      return pick(lang, { en: `tensor ${tensor} must be ${list} ${expected}`, es: `el tensor ${tensor} debe ser ${list} ${expected}` }) + got(lang, renderShown(p.got, lang));
    }
    case 'rows':
      return pick(lang, { en: `tensor ${tensor} must have ${shape[0]} rows ${expected}, got ${p.rows}`, es: `el tensor ${tensor} debe tener ${shape[0]} filas ${expected}; tiene ${p.rows}` });
    case 'length': {
      const entries = pick(lang, { en: `${p.entries} ${p.entries === 1 ? 'entry' : 'entries'}`, es: `${p.entries} ${p.entries === 1 ? 'elemento' : 'elementos'}` });
      return p.row === null
        ? pick(lang, { en: `tensor ${tensor} must have ${cols} numbers ${expected}, got ${entries}`, es: `el tensor ${tensor} debe tener ${cols} números ${expected}; tiene ${entries}` })
        : pick(lang, { en: `tensor ${tensor} row ${p.row} must have ${cols} numbers (shape ${expected}), got ${entries}`, es: `la fila ${p.row} del tensor ${tensor} debe tener ${cols} números (forma ${expected}); tiene ${entries}` });
    }
    case 'row-not-a-list':
      return pick(lang, {
        en: `tensor ${tensor} row ${p.row} must have ${cols} numbers (shape ${expected})`,
        es: `la fila ${p.row} del tensor ${tensor} debe tener ${cols} números (forma ${expected})`,
      }) + got(lang, renderShown(p.got, lang));
  }
}

// ---------------------------------------------------------------------------
// The table
// ---------------------------------------------------------------------------

/** A node as messages name it (describeNode in src/compiler/node-ref.ts makes one). */
export type NodeRef = {
  readonly id: string;
  readonly kind: string;
  readonly label?: string;
  /** The kind's Spanish name, lower-case ("sigmoide"), when the kind is known. */
  readonly kindEs?: string;
};

/** `"forget" (sigmoid f)` in English (the kind as files write it), `"forget" (sigmoide f)` in Spanish. */
function nodeName(node: NodeRef, lang: Lang): string {
  const label = node.label ? `"${node.label}" ` : '';
  const kind = lang === 'es' && node.kindEs ? node.kindEs : node.kind;
  return `${label}(${kind} ${node.id})`;
}

/** `node` params are NodeRefs, worded per language by nodeName. */
export const MESSAGES = {
  // ---- Loading a file (src/model/load.ts; project files and backups in src/storage/files.ts)
  'file-too-large': message<{ chars: number; max: number }>(
    (p) => `The file has ${p.chars} characters; the limit is ${p.max}.`,
    (p) => `El archivo tiene ${p.chars} caracteres; el límite es ${p.max}.`,
  ),
  'not-json': message<{ detail: string } | { notText: true }>(
    (p) => ('detail' in p ? `The file is not valid JSON: ${p.detail}` : 'The file is not text.'),
    (p) => ('detail' in p ? `El archivo no es JSON válido: ${p.detail}` : 'El archivo no es texto.'),
  ),
  'not-an-object': message<{ file: FileKind }>(
    (p) => `A ${formatName(p.file, 'en')} file must be a JSON object.`,
    (p) => `Un archivo de ${formatName(p.file, 'es')} debe ser un objeto JSON.`,
  ),
  'wrong-format': message<{ file: FileKind; expected: string; got: Shown }>(
    (p) => `The "format" field must be "${p.expected}"${p.file === 'cell' ? '' : ` for a ${formatName(p.file, 'en')} file`}${got('en', renderShown(p.got, 'en'))}.`,
    (p) => `El campo "format" debe ser "${p.expected}"${p.file === 'cell' ? '' : ` en un archivo de ${formatName(p.file, 'es')}`}${got('es', renderShown(p.got, 'es'))}.`,
  ),
  /** `version`: a checkpoint's (src/runtime/checkpoint.ts), as String() writes it, and the one this Celda reads. */
  'bad-version': message<{ got: Shown } | { got: Shown; expected: number } | { file: 'checkpoint'; version: string; supported: number }>(
    (p) => ('version' in p
      ? `Checkpoint version ${p.version} is not supported (this Celda reads version ${p.supported}).`
      : `The "version" field must be ${'expected' in p ? p.expected : 'a whole number ≥ 1'}${got('en', renderShown(p.got, 'en'))}.`),
    (p) => ('version' in p
      ? `No se admite la versión ${p.version} de los puntos de control (esta versión de Celda lee la versión ${p.supported}).`
      : `El campo "version" debe ser ${'expected' in p ? p.expected : 'un número entero ≥ 1'}${got('es', renderShown(p.got, 'es'))}.`),
  ),
  'newer-version': message<{ file: FileKind; version: number; supported: number }>(
    (p) => `This file uses ${formatName(p.file, 'en')} format version ${p.version}; this Celda reads up to version ${p.supported}. Update Celda to open it.`,
    (p) => `Este archivo usa la versión ${p.version} del formato de ${formatName(p.file, 'es')}; esta versión de Celda lee hasta la versión ${p.supported}. Actualiza Celda para abrirlo.`,
  ),
  'no-migration': message<{ version: number }>(
    (p) => `No migration from cell format version ${p.version}.`,
    (p) => `No hay migración desde la versión ${p.version} del formato de celda.`,
  ),
  'migration-failed': message<{ version: number; detail: string }>(
    (p) => `Upgrading from version ${p.version} failed: ${p.detail}`,
    (p) => `Falló la actualización desde la versión ${p.version}: ${p.detail}`,
  ),
  'bad-metadata': message<Record<string, never>>(
    () => 'The "metadata" field must be an object with at least a "name".',
    () => 'El campo "metadata" debe ser un objeto con al menos un "name".',
  ),
  'bad-sizes': message<{ field: 'sizes' | 'sizes.named' }>(
    (p) => (p.field === 'sizes' ? 'The "sizes" field must be an object like {"input": 8, "hidden": 16}.' : 'The "sizes.named" field must be an object of name → size.'),
    (p) => (p.field === 'sizes' ? 'El campo "sizes" debe ser un objeto como {"input": 8, "hidden": 16}.' : 'El campo "sizes.named" debe ser un objeto de nombre → tamaño.'),
  ),
  'too-many-sizes': message<{ max: number; count: number }>(
    (p) => `At most ${p.max} named sizes are allowed, got ${p.count}.`,
    (p) => `Se admiten como mucho ${p.max} tamaños con nombre; hay ${p.count}.`,
  ),
  'bad-size-name': message<{ name: Shown }>(
    (p) => `Size name ${renderShown(p.name, 'en')} must start with a letter, use letters, digits or _, and not be "input", "hidden" or a JavaScript object property such as "constructor".`,
    (p) => `El nombre de tamaño ${renderShown(p.name, 'es')} debe empezar por una letra, usar letras, dígitos o _, y no ser "input", "hidden" ni una propiedad de los objetos de JavaScript como "constructor".`,
  ),
  /** A size in the file (`field`), or one the compiler was given (`size`: the CLI's --input/--hidden). */
  'bad-size': message<{ field: string; max: number; got: Shown } | { size: string; max: number; got: Shown }>(
    (p) => `${'field' in p ? p.field : `The ${p.size} size`} must be a whole number from 1 to ${p.max}${got('en', renderShown(p.got, 'en'))}.`,
    (p) => `${'field' in p ? p.field : `El tamaño ${p.size}`} debe ser un número entero de 1 a ${p.max}${got('es', renderShown(p.got, 'es'))}.`,
  ),
  'bad-nodes': message<Record<string, never>>(
    () => 'The "nodes" field must be a list.',
    () => 'El campo "nodes" debe ser una lista.',
  ),
  'too-many-nodes': message<{ max: number; count: number }>(
    (p) => `A cell may have at most ${p.max} nodes; this file has ${p.count}.`,
    (p) => `Una celda puede tener como mucho ${p.max} nodos; este archivo tiene ${p.count}.`,
  ),
  'duplicate-node-id': message<{ id: string }>(
    (p) => `Two nodes share the id "${p.id}".`,
    (p) => `Dos nodos comparten el id "${p.id}".`,
  ),
  'bad-node': message<{ field: string }>(
    (p) => `${p.field} must be an object with "id", "kind", "params" and "position".`,
    (p) => `${p.field} debe ser un objeto con "id", "kind", "params" y "position".`,
  ),
  'bad-node-id': message<{ field: string; max: number; got: Shown }>(
    (p) => `${p.field} must be 1–${p.max} characters from A–Z, a–z, 0–9, "_", ".", ":" or "-"; got ${renderShown(p.got, 'en')}.`,
    (p) => `${p.field} debe tener de 1 a ${p.max} caracteres entre A–Z, a–z, 0–9, "_", ".", ":" o "-"; recibido: ${renderShown(p.got, 'es')}.`,
  ),
  'reserved-node-id': message<{ id: string }>(
    (p) => `Node id ${JSON.stringify(p.id)} is a reserved name in JavaScript objects; rename the node.`,
    (p) => `El id de nodo ${JSON.stringify(p.id)} es un nombre reservado en los objetos de JavaScript; cambia el id del nodo.`,
  ),
  'bad-node-kind': message<{ id: string; got: Shown }>(
    (p) => `Node ${p.id}: "kind" must be a node kind name${got('en', renderShown(p.got, 'en'))}.`,
    (p) => `Nodo ${p.id}: "kind" debe ser el nombre de un tipo de nodo${got('es', renderShown(p.got, 'es'))}.`,
  ),
  /** `count`: the params object has too many entries. */
  'bad-params': message<{ id: string } | { id: string; count: number }>(
    (p) => ('count' in p ? `Node ${p.id}: too many params (${p.count}).` : `Node ${p.id}: "params" must be an object.`),
    (p) => ('count' in p ? `Nodo ${p.id}: demasiados parámetros (${p.count}).` : `Nodo ${p.id}: "params" debe ser un objeto.`),
  ),
  'bad-param-value': message<{ id: string; param: Shown; got: Shown }>(
    (p) => `Node ${p.id}: param ${renderShown(p.param, 'en')} must be a finite number, a boolean or a short string; got ${renderShown(p.got, 'en')}.`,
    (p) => `Nodo ${p.id}: el parámetro ${renderShown(p.param, 'es')} debe ser un número finito, un booleano o un texto corto; recibido: ${renderShown(p.got, 'es')}.`,
  ),
  'bad-position': message<{ id: string }>(
    (p) => `Node ${p.id}: "position" must be {"x": number, "y": number} with finite coordinates.`,
    (p) => `Nodo ${p.id}: "position" debe ser {"x": número, "y": número} con coordenadas finitas.`,
  ),
  'bad-connections': message<Record<string, never>>(
    () => 'The "connections" field must be a list.',
    () => 'El campo "connections" debe ser una lista.',
  ),
  'too-many-connections': message<{ max: number; count: number }>(
    (p) => `A cell may have at most ${p.max} connections; this file has ${p.count}.`,
    (p) => `Una celda puede tener como mucho ${p.max} conexiones; este archivo tiene ${p.count}.`,
  ),
  'bad-connection': message<{ field: string }>(
    (p) => `${p.field} must be {"from", "fromPort", "to", "toPort"} with short strings.`,
    (p) => `${p.field} debe ser {"from", "fromPort", "to", "toPort"} con textos cortos.`,
  ),
  'bad-text': message<{ field: string; max: number; got: Shown }>(
    (p) => `${p.field} must be text of at most ${p.max} characters without control characters or bidi overrides; got ${renderShown(p.got, 'en')}.`,
    (p) => `${p.field} debe ser un texto de hasta ${p.max} caracteres, sin caracteres de control ni cambios de dirección bidi; recibido: ${renderShown(p.got, 'es')}.`,
  ),

  // ---- Validation (src/compiler/validate.ts)
  'unknown-kind': message<{ node: NodeRef; kind: string }>(
    (p) => `Node ${nodeName(p.node, 'en')} has unknown kind ${JSON.stringify(p.kind)}.`,
    (p) => `El nodo ${nodeName(p.node, 'es')} tiene un tipo desconocido: ${JSON.stringify(p.kind)}.`,
  ),
  /** From the loader (`id`: a key no param may have), or from validation (`node`: the kind takes other params, listed). */
  'unknown-param': message<{ id: string; param: string } | { node: NodeRef; param: string; accepted: readonly string[] }>(
    (p) => ('node' in p
      ? `Node ${nodeName(p.node, 'en')} has no param ${JSON.stringify(p.param)}; ${p.node.kind} takes ${quotedOrNone(p.accepted)}.`
      : `Node ${p.id}: ${JSON.stringify(p.param)} is not a param name.`),
    (p) => ('node' in p
      ? `El nodo ${nodeName(p.node, 'es')} no tiene el parámetro ${JSON.stringify(p.param)}; ${p.node.kindEs ?? p.node.kind} ${p.accepted.length === 0 ? 'no admite parámetros' : `admite ${quoted(p.accepted)}`}.`
      : `Nodo ${p.id}: ${JSON.stringify(p.param)} no es un nombre de parámetro.`),
  ),
  'bad-param': message<{ node: NodeRef; param: string; problem: ParamProblem }>(
    (p) => `Node ${nodeName(p.node, 'en')} param "${p.param}": ${renderParamProblem(p.problem, 'en')}.`,
    (p) => `Nodo ${nodeName(p.node, 'es')}, parámetro "${p.param}": ${renderParamProblem(p.problem, 'es')}.`,
  ),
  'dangling-connection': message<{ index: number; end: 'from' | 'to'; id: string }>(
    (p) => `Connection ${p.index} ${p.end === 'from' ? 'starts at' : 'ends at'} node ${JSON.stringify(p.id)}, which does not exist.`,
    (p) => `La conexión ${p.index} ${p.end === 'from' ? 'empieza' : 'termina'} en el nodo ${JSON.stringify(p.id)}, que no existe.`,
  ),
  /** `output`: the node's one output port, or null when it has none; `inputs`: the node's input ports. */
  'unknown-port': message<{ node: NodeRef; port: string; output: string | null } | { node: NodeRef; port: string; inputs: readonly string[] }>(
    (p) => ('inputs' in p
      ? `Node ${nodeName(p.node, 'en')} has no input port ${JSON.stringify(p.port)}; its inputs are ${quotedOrNone(p.inputs)}.`
      : `Node ${nodeName(p.node, 'en')} has no output port ${JSON.stringify(p.port)}: ${p.output === null ? 'it has no output port' : `its output port is "${p.output}"`}.`),
    (p) => ('inputs' in p
      ? `El nodo ${nodeName(p.node, 'es')} no tiene el puerto de entrada ${JSON.stringify(p.port)}; ${p.inputs.length === 0 ? 'no tiene entradas' : `sus entradas son ${quoted(p.inputs)}`}.`
      : `El nodo ${nodeName(p.node, 'es')} no tiene el puerto de salida ${JSON.stringify(p.port)}: ${p.output === null ? 'no tiene puerto de salida' : `su puerto de salida es "${p.output}"`}.`),
  ),
  'duplicate-connection': message<{ node: NodeRef; port: string }>(
    (p) => `Node ${nodeName(p.node, 'en')} port "${p.port}" is connected twice to the same source.`,
    (p) => `El puerto "${p.port}" del nodo ${nodeName(p.node, 'es')} está conectado dos veces a la misma fuente.`,
  ),
  'port-already-connected': message<{ node: NodeRef; port: string; first: string; second: string }>(
    (p) => `Node ${nodeName(p.node, 'en')} port "${p.port}" has two incoming connections (from ${JSON.stringify(p.first)} and ${JSON.stringify(p.second)}); an input takes one.`,
    (p) => `El puerto "${p.port}" del nodo ${nodeName(p.node, 'es')} recibe dos conexiones (desde ${JSON.stringify(p.first)} y ${JSON.stringify(p.second)}); una entrada admite solo una.`,
  ),
  'state-never-written': message<{ node: NodeRef }>(
    (p) => `State ${nodeName(p.node, 'en')} is never written: connect the new value (h_t) to its "next" port.`,
    (p) => `Nunca se escribe en el estado ${nodeName(p.node, 'es')}: conecta el valor nuevo (h_t) a su puerto "next".`,
  ),
  'unconnected-input': message<{ node: NodeRef; port: string }>(
    (p) => `Node ${nodeName(p.node, 'en')} input "${p.port}" is not connected.`,
    (p) => `La entrada "${p.port}" del nodo ${nodeName(p.node, 'es')} no está conectada.`,
  ),
  'no-output': message<Record<string, never>>(
    () => 'The cell has no output node: add an "output" node and connect y_t to it.',
    () => 'La celda no tiene nodo de salida: añade un nodo "output" y conecta y_t a él.',
  ),
  'several-outputs': message<{ node: NodeRef }>(
    (p) => `The cell has more than one output node; remove ${nodeName(p.node, 'en')} or concatenate the values into one output.`,
    (p) => `La celda tiene más de un nodo de salida; elimina ${nodeName(p.node, 'es')} o concatena los valores en una sola salida.`,
  ),
  'no-input': message<Record<string, never>>(
    () => 'The cell has no input node: it never reads x_t.',
    () => 'La celda no tiene nodo de entrada: nunca lee x_t.',
  ),
  'cycle-without-state': message<{ node: NodeRef; port: string; from: string }>(
    (p) => `Node ${nodeName(p.node, 'en')} is on a loop that does not pass through a state node (input "${p.port}" comes back from ${JSON.stringify(p.from)}). Route the loop through a state node so it crosses time steps.`,
    (p) => `El nodo ${nodeName(p.node, 'es')} está en un ciclo que no pasa por un nodo de estado (la entrada "${p.port}" vuelve desde ${JSON.stringify(p.from)}). Haz pasar el ciclo por un nodo de estado para que cruce los pasos de tiempo.`,
  ),

  // ---- Shapes (src/compiler/shapes.ts, and src/compiler/analyze.ts while wiring)
  'shape-mismatch': message<{ node: NodeRef; problem: ShapeProblem }>(
    (p) => `Node ${nodeName(p.node, 'en')}: ${renderShapeProblem(p.problem, 'en')}.`,
    (p) => `Nodo ${nodeName(p.node, 'es')}: ${renderShapeProblem(p.problem, 'es')}.`,
  ),
  'unknown-size': message<{ node: NodeRef; param: string; unknown: readonly string[]; known: readonly string[] }>(
    (p) => `Node ${nodeName(p.node, 'en')} param "${p.param}" uses ${quoted(p.unknown)}, which is not a size of this cell (known: ${p.known.join(', ')}).`,
    (p) => `El parámetro "${p.param}" del nodo ${nodeName(p.node, 'es')} usa ${quoted(p.unknown)}, ${p.unknown.length === 1 ? 'que no es un tamaño' : 'que no son tamaños'} de esta celda (conocidos: ${p.known.join(', ')}).`,
  ),

  // ---- Lowering with concrete sizes (src/compiler/ir.ts)
  /** `vector`: an output of `elements`; `weight`: a learned tensor over the per-tensor or total limit. */
  'size-too-large': message<{ node: NodeRef; elements: number; max: number } | { node: NodeRef; weight: string; elements: number; perTensor: number; total: number }>(
    (p) => ('weight' in p
      ? `Node ${nodeName(p.node, 'en')} weight ${p.weight} has ${p.elements} elements; the cell may hold at most ${p.perTensor} per tensor and ${p.total} in all.`
      : `Node ${nodeName(p.node, 'en')} would produce ${p.elements} elements; the limit is ${p.max}.`),
    (p) => ('weight' in p
      ? `El peso ${p.weight} del nodo ${nodeName(p.node, 'es')} tiene ${p.elements} elementos; la celda admite como mucho ${p.perTensor} por tensor y ${p.total} en total.`
      : `El nodo ${nodeName(p.node, 'es')} produciría ${p.elements} elementos; el límite es ${p.max}.`),
  ),
  /** `size`/`value`: an output that evaluates to no elements; `problem`: a node's own size check. */
  'size-out-of-range': message<{ node: NodeRef; size: string; value: number } | { node: NodeRef; problem: ShapeProblem }>(
    (p) => ('problem' in p
      ? `Node ${nodeName(p.node, 'en')}: ${renderShapeProblem(p.problem, 'en')}.`
      : `Node ${nodeName(p.node, 'en')} would produce an empty vector (size ${p.size} = ${p.value}); sizes start at 1.`),
    (p) => ('problem' in p
      ? `Nodo ${nodeName(p.node, 'es')}: ${renderShapeProblem(p.problem, 'es')}.`
      : `El nodo ${nodeName(p.node, 'es')} produciría un vector vacío (tamaño ${p.size} = ${p.value}); los tamaños empiezan en 1.`),
  ),

  // ---- Connections the editor refuses (src/compiler/analyze.ts)
  'connection-end-missing': message<Record<string, never>>(
    () => 'Both ends must be nodes of this cell.',
    () => 'Los dos extremos deben ser nodos de esta celda.',
  ),
  'connection-unknown-output': message<{ node: NodeRef; port: string }>(
    (p) => `${nodeName(p.node, 'en')} has no output "${p.port}".`,
    (p) => `${nodeName(p.node, 'es')} no tiene la salida "${p.port}".`,
  ),
  'connection-unknown-input': message<{ node: NodeRef; port: string }>(
    (p) => `${nodeName(p.node, 'en')} has no input "${p.port}".`,
    (p) => `${nodeName(p.node, 'es')} no tiene la entrada "${p.port}".`,
  ),
  /** `node` and `port`: the input the connection would reach. */
  'connection-loop-without-state': message<{ node: NodeRef; port: string }>(
    (p) => `Node ${nodeName(p.node, 'en')} input "${p.port}": this would close a loop that does not pass through a state node; loops must cross time through a state (its "next" input).`,
    (p) => `Entrada "${p.port}" del nodo ${nodeName(p.node, 'es')}: esto cerraría un ciclo que no pasa por un nodo de estado; los ciclos deben cruzar el tiempo a través de un estado (su entrada "next").`,
  ),

  // ---- Stored records and files (src/storage/validate.ts, src/storage/files.ts)
  /** `expected`/`got`: a value of the wrong kind; otherwise a problem between the field's parts. */
  'bad-field': message<
    | { field: string; expected: FieldExpectation; got: Shown }
    | { field: string; problem: 'lengths-differ' }
    | { field: string; problem: 'not-finite' }
    | { field: string; problem: 'shape-mismatch'; shape: readonly number[]; values: number }
  >(
    (p) => {
      if ('expected' in p) return `${p.field} must be ${renderExpectation(p.expected, 'en')}; got ${renderShown(p.got, 'en')}.`;
      if (p.problem === 'lengths-differ') return `${p.field}: "steps" and "values" must have the same length.`;
      if (p.problem === 'not-finite') return `${p.field} is not a finite number.`;
      return `${p.field}: shape [${p.shape.join(', ')}] does not match ${p.values} values.`;
    },
    (p) => {
      if ('expected' in p) return `${p.field} debe ser ${renderExpectation(p.expected, 'es')}; recibido: ${renderShown(p.got, 'es')}.`;
      if (p.problem === 'lengths-differ') return `${p.field}: "steps" y "values" deben tener la misma longitud.`;
      if (p.problem === 'not-finite') return `${p.field} no es un número finito.`;
      return `${p.field}: la forma [${p.shape.join(', ')}] no corresponde a ${p.values} valores.`;
    },
  ),
  /** `items`/`keys`/`records`: a list or object too long; `numbers`: a tensor's values. */
  'too-many': message<{ field: string; max: number; count: number; of: ItemKind } | { field: string; max: number; count: number; of: 'numbers' }>(
    (p) => (p.of === 'numbers'
      ? `${p.field} holds ${p.count} numbers; the limit is ${p.max}.`
      : `${p.field} may hold at most ${p.max} ${ITEM_KINDS[p.of].en}; it has ${p.count}.`),
    (p) => (p.of === 'numbers'
      ? `${p.field} tiene ${p.count} números; el límite es ${p.max}.`
      : `${p.field} admite como mucho ${p.max} ${ITEM_KINDS[p.of].es}; tiene ${p.count}.`),
  ),
  'bad-key': message<{ field: string; key: Shown }>(
    (p) => `${p.field}: ${renderShown(p.key, 'en')} is not an allowed key.`,
    (p) => `${p.field}: ${renderShown(p.key, 'es')} no es una clave permitida.`,
  ),
  'too-deep': message<{ field: string; max: number }>(
    (p) => `${p.field} is nested deeper than ${p.max} levels.`,
    (p) => `${p.field} está anidado a más de ${p.max} niveles.`,
  ),
  'duplicate-id': message<{ field: string; id: string }>(
    (p) => `${p.field} "${p.id}" is used twice.`,
    (p) => `${p.field} "${p.id}" aparece dos veces.`,
  ),
  'missing-run': message<{ field: string; id: string }>(
    (p) => `${p.field} "${p.id}" names no run in this file.`,
    (p) => `${p.field} "${p.id}" no corresponde a ningún entrenamiento de este archivo.`,
  ),
  'missing-link': message<{ field: string; target: LinkTarget }>(
    (p) => `${p.field} names no ${LINK_TARGETS[p.target].en} in this backup.`,
    (p) => `${p.field} no corresponde a ningún ${LINK_TARGETS[p.target].es} de esta copia de seguridad.`,
  ),

  // ---- Browser storage failures (src/storage/db.ts)
  'storage-quota': message<Record<string, never>>(
    () => 'The browser has no room left for Celda (storage quota exceeded), so nothing was saved. Your work is still open: export it to a file, or free space by deleting old projects, runs or checkpoints.',
    () => 'El navegador no tiene más espacio para Celda (cuota de almacenamiento superada), así que no se guardó nada. Tu trabajo sigue abierto: expórtalo a un archivo o libera espacio eliminando proyectos, entrenamientos o puntos de control antiguos.',
  ),
  'storage-blocked': message<Record<string, never>>(
    () => 'Another tab is running an older Celda and blocks the update of its storage. Close or reload the other Celda tabs; your work here is kept.',
    () => 'Otra pestaña ejecuta una versión anterior de Celda y bloquea la actualización de su almacenamiento. Cierra o recarga las otras pestañas de Celda; tu trabajo aquí se conserva.',
  ),
  'storage-version': message<Record<string, never>>(
    () => 'This browser holds Celda data written by a newer Celda. Reload the page to get the newer Celda; nothing was changed.',
    () => 'Este navegador guarda datos de una versión más nueva de Celda. Recarga la página para obtenerla; no se cambió nada.',
  ),
  'storage-unavailable': message<Record<string, never>>(
    () => 'This browser does not let Celda store anything (IndexedDB is unavailable, as in some private windows). Your work stays open in this tab but will not be kept: export it to a file.',
    () => 'Este navegador no deja a Celda guardar nada (IndexedDB no está disponible, como en algunas ventanas privadas). Tu trabajo sigue abierto en esta pestaña pero no se conservará: expórtalo a un archivo.',
  ),
  'storage-closed': message<Record<string, never>>(
    () => 'The connection to the browser storage was closed (another tab may have updated Celda, or the site data was cleared). Export your work, then reload the page.',
    () => 'Se cerró la conexión con el almacenamiento del navegador (otra pestaña pudo actualizar Celda o se borraron los datos del sitio). Exporta tu trabajo y recarga la página.',
  ),
  /** `detail`: the browser's own words (not translated). */
  'storage-unknown': message<{ detail: string }>(
    (p) => `Saving to browser storage failed: ${p.detail}`,
    (p) => `Falló el guardado en el almacenamiento del navegador: ${p.detail}`,
  ),

  // ---- Training (src/runtime/train.ts; the app's runs, src/train/session.ts)
  /** A training setting, or a batch shape the task refuses (`task-shape`). */
  'bad-hyperparameter': message<SettingProblem | { problem: 'task-shape'; task: string; shape: TaskProblem }>(
    (p) => (p.problem === 'task-shape' ? `The ${p.task} task: ${renderTaskProblem(p.shape, 'en')}.` : `${renderSetting(p, 'en')}.`),
    (p) => (p.problem === 'task-shape' ? `La tarea ${p.task}: ${renderTaskProblem(p.shape, 'es')}.` : `${renderSetting(p, 'es')}.`),
  ),
  /** A task that cannot be made: an unknown name, a bad option or text (`field` names it). */
  'bad-task': message<{ field: string; problem: TaskProblem }>(
    (p) => `${p.field}: ${renderTaskProblem(p.problem, 'en')}.`,
    (p) => `${p.field}: ${renderTaskProblem(p.problem, 'es')}.`,
  ),
  'cell-reads-no-input': message<{ task: string }>(
    (p) => `The cell has no input node, so it cannot read the ${p.task} task's inputs.`,
    (p) => `La celda no tiene nodo de entrada, así que no puede leer las entradas de la tarea ${p.task}.`,
  ),
  /** `feeds`: the task's values per step; `compiled`: the cell's input size. */
  'input-size-mismatch': message<{ task: string; feeds: number; compiled: number }>(
    (p) => `The ${p.task} task feeds ${p.feeds} values per step, but the cell was compiled with input size ${p.compiled}. Compile it with --input ${p.feeds}.`,
    (p) => `La tarea ${p.task} da ${p.feeds} valores por paso, pero la celda se compiló con tamaño de entrada ${p.compiled}. Compílala con --input ${p.feeds}.`,
  ),
  'output-size': message<Record<string, never>>(
    () => 'The cell\'s output y_t is empty.',
    () => 'La salida y_t de la celda está vacía.',
  ),

  // ---- Checkpoints (src/runtime/checkpoint.ts; a checkpoint's version is `bad-version`)
  'not-a-checkpoint': message<{ format: string }>(
    (p) => `This is not a Celda checkpoint (its "format" must be "${p.format}").`,
    (p) => `Esto no es un punto de control de Celda (su "format" debe ser "${p.format}").`,
  ),
  /** `name`: the cell the checkpoint names; `hash`: the hash it holds; `expected`: the given cell's. */
  'checkpoint-cell-mismatch': message<{ name: string; hash: string; expected: string }>(
    (p) => `This checkpoint was trained on another cell (${JSON.stringify(p.name)}, hash ${p.hash}); the cell given has hash ${p.expected}. Its wiring, sizes or params differ.`,
    (p) => `Este punto de control se entrenó con otra celda (${JSON.stringify(p.name)}, hash ${p.hash}); la celda dada tiene el hash ${p.expected}. Difieren sus conexiones, sus tamaños o sus parámetros.`,
  ),
  'bad-checkpoint': message<CheckpointProblem>(
    (p) => `${renderCheckpointProblem(p, 'en')}.`,
    (p) => `${renderCheckpointProblem(p, 'es')}.`,
  ),

  // ---- Params files (src/runtime/params-file.ts: celda init writes them, celda run reads them)
  'params-not-an-object': message<{ format: string; got: Shown }>(
    (p) => `A params file must be a JSON object with "format": "${p.format}"${got('en', renderShown(p.got, 'en'))}.`,
    (p) => `Un archivo de parámetros debe ser un objeto JSON con "format": "${p.format}"${got('es', renderShown(p.got, 'es'))}.`,
  ),
  'params-wrong-format': message<{ expected: string; got: Shown }>(
    (p) => `The "format" field must be "${p.expected}"${got('en', renderShown(p.got, 'en'))}.`,
    (p) => `El campo "format" debe ser "${p.expected}"${got('es', renderShown(p.got, 'es'))}.`,
  ),
  'params-bad-version': message<{ got: Shown }>(
    (p) => `The "version" field must be a whole number ≥ 1${got('en', renderShown(p.got, 'en'))}.`,
    (p) => `El campo "version" debe ser un número entero ≥ 1${got('es', renderShown(p.got, 'es'))}.`,
  ),
  'params-newer-version': message<{ version: number; supported: number }>(
    (p) => `This params file uses version ${p.version}; this Celda reads version ${p.supported}. Update Celda to read it.`,
    (p) => `Este archivo de parámetros usa la versión ${p.version}; esta versión de Celda lee la versión ${p.supported}. Actualiza Celda para leerlo.`,
  ),
  'params-bad-seed': message<{ max: number; got: Shown }>(
    (p) => `The "seed" field, when present, must be a whole number from 0 to ${p.max}${got('en', renderShown(p.got, 'en'))}.`,
    (p) => `El campo "seed", si está, debe ser un número entero de 0 a ${p.max}${got('es', renderShown(p.got, 'es'))}.`,
  ),
  /** `count`: more entries than a cell has sizes (`max`); otherwise not an object. */
  'params-bad-sizes': message<Record<string, never> | { count: number; max: number }>(
    (p) => ('count' in p
      ? `The "sizes" field has ${p.count} entries; a cell has at most ${p.max} sizes.`
      : 'The "sizes" field must be an object like {"input": 3, "hidden": 4}.'),
    (p) => ('count' in p
      ? `El campo "sizes" tiene ${p.count} entradas; una celda tiene como mucho ${p.max} tamaños.`
      : 'El campo "sizes" debe ser un objeto como {"input": 3, "hidden": 4}.'),
  ),
  'params-bad-size': message<{ field: string; max: number; got: Shown }>(
    (p) => `${p.field} must be a whole number from 1 to ${p.max}${got('en', renderShown(p.got, 'en'))}.`,
    (p) => `${p.field} debe ser un número entero de 1 a ${p.max}${got('es', renderShown(p.got, 'es'))}.`,
  ),
  /** `cell`: the value the cell uses, when the file is read for a cell. */
  'params-missing-size': message<{ size: string } | { size: string; cell: number }>(
    (p) => `The params file's "sizes" has no "${p.size}"${'cell' in p ? ` (the cell uses ${p.size} = ${p.cell})` : ''}.`,
    (p) => `El campo "sizes" del archivo de parámetros no tiene "${p.size}"${'cell' in p ? ` (la celda usa ${p.size} = ${p.cell})` : ''}.`,
  ),
  'params-size-mismatch': message<{ size: string; file: number; cell: number }>(
    (p) => `sizes.${p.size} is ${p.file} in the params file but ${p.cell} in the cell.`,
    (p) => `sizes.${p.size} vale ${p.file} en el archivo de parámetros pero ${p.cell} en la celda.`,
  ),
  /** `known`: the cell's sizes. */
  'params-unknown-size': message<{ size: string; known: readonly string[] }>(
    (p) => `The params file's "sizes" has ${JSON.stringify(p.size)}, which is not a size of this cell (its sizes: ${quotedList(p.known, 'en')}).`,
    (p) => `El campo "sizes" del archivo de parámetros tiene ${JSON.stringify(p.size)}, que no es un tamaño de esta celda (sus tamaños: ${quotedList(p.known, 'es')}).`,
  ),
  'params-bad-params': message<Record<string, never>>(
    () => 'The params file\'s "params" must be an object of node id → { tensor name → values }.',
    () => 'El campo "params" del archivo de parámetros debe ser un objeto de id de nodo → { nombre de tensor → valores }.',
  ),
  /** `fileNodes`: the file's first node ids (`more`: it has others); `cellNodes`: the cell's nodes with tensors. */
  'params-other-cell': message<{ fileNodes: readonly string[]; more: boolean; cellNodes: readonly string[] }>(
    (p) => `None of the params file's node ids (${quotedList(p.fileNodes, 'en')}${p.more ? ', …' : ''}) has learned tensors in this cell (${quotedList(p.cellNodes, 'en')}): the file was made for another cell. Make one for this cell with "celda init".`,
    (p) => `Ninguno de los ids de nodo del archivo de parámetros (${quotedList(p.fileNodes, 'es')}${p.more ? ', …' : ''}) tiene tensores aprendidos en esta celda (${quotedList(p.cellNodes, 'es')}): el archivo se hizo para otra celda. Crea uno para esta celda con "celda init".`,
  ),
  /** `known`: the cell's nodes with tensors. */
  'params-unknown-node': message<{ id: string; known: readonly string[] }>(
    (p) => `The params file has values for node ${JSON.stringify(p.id)}, which has no learned tensors in this cell (nodes with tensors: ${quotedList(p.known, 'en')}).`,
    (p) => `El archivo de parámetros tiene valores para el nodo ${JSON.stringify(p.id)}, que no tiene tensores aprendidos en esta celda (nodos con tensores: ${quotedList(p.known, 'es')}).`,
  ),
  'params-bad-node': message<{ id: string; got: Shown }>(
    (p) => `Node ${p.id}: the params file's entry must be an object of tensor name → values${got('en', renderShown(p.got, 'en'))}.`,
    (p) => `Nodo ${p.id}: su entrada en el archivo de parámetros debe ser un objeto de nombre de tensor → valores${got('es', renderShown(p.got, 'es'))}.`,
  ),
  /** `tensors`: the ones the node has. */
  'params-unknown-tensor': message<{ id: string; tensor: string; tensors: readonly string[] }>(
    (p) => `Node ${p.id} has no tensor ${JSON.stringify(p.tensor)}; it has ${quotedList(p.tensors, 'en')}.`,
    (p) => `El nodo ${p.id} no tiene el tensor ${JSON.stringify(p.tensor)}; ${p.tensors.length === 0 ? 'no tiene ninguno' : `tiene ${quoted(p.tensors)}`}.`,
  ),
  'params-missing-tensor': message<{ id: string; tensor: string; shape: readonly number[] }>(
    (p) => `Node ${p.id}: tensor ${p.tensor} ${shapeText(p.shape)} is missing from the params file.`,
    (p) => `Nodo ${p.id}: falta el tensor ${p.tensor} ${shapeText(p.shape)} en el archivo de parámetros.`,
  ),
  'params-bad-shape': message<{ id: string; tensor: string; shape: readonly number[]; problem: TensorProblem }>(
    (p) => `Node ${p.id}: ${renderTensorProblem(p.problem, p.tensor, p.shape, 'en')}.`,
    (p) => `Nodo ${p.id}: ${renderTensorProblem(p.problem, p.tensor, p.shape, 'es')}.`,
  ),
  /** `index`: the number's place in the tensor, [row][column] or [element]. */
  'params-not-finite': message<{ id: string; tensor: string; index: readonly number[]; got: Shown }>(
    (p) => `Node ${p.id}: tensor ${p.tensor}${p.index.map((i) => `[${i}]`).join('')} must be a finite number${got('en', renderShown(p.got, 'en'))}.`,
    (p) => `Nodo ${p.id}: el valor ${p.tensor}${p.index.map((i) => `[${i}]`).join('')} del tensor debe ser un número finito${got('es', renderShown(p.got, 'es'))}.`,
  ),
  /** `more`: the problems left out of a long report. */
  'params-too-many-errors': message<{ more: number }>(
    (p) => `…and ${p.more} more problems in the params file.`,
    (p) => `…y ${p.more} problemas más en el archivo de parámetros.`,
  ),
  // ---- Share links (src/ui/lib/share.ts): a cell in the address's #cell= fragment
  'link-empty': message<Record<string, never>>(
    () => 'The link has no cell after "#cell=".',
    () => 'El enlace no trae ninguna celda después de "#cell=".',
  ),
  'link-too-long': message<{ chars: number; max: number }>(
    (p) => `The link's cell data has ${p.chars} characters; links of more than ${p.max} are not opened.`,
    (p) => `Los datos de celda del enlace tienen ${p.chars} caracteres; no se abren enlaces de más de ${p.max}.`,
  ),
  /** `character` and `position` (from 1): the first one that is not base64url; `length`: data cut short. */
  'link-not-base64': message<{ character: string; position: number } | { length: number }>(
    (p) => ('length' in p
      ? `The link is damaged: its data (${p.length} characters) is cut short.`
      : `The link is damaged: character ${p.character} at position ${p.position} of its data is not base64url (A–Z, a–z, 0–9, "-", "_").`),
    (p) => ('length' in p
      ? `El enlace está dañado: sus datos (${p.length} caracteres) están cortados.`
      : `El enlace está dañado: el carácter ${p.character} en la posición ${p.position} de sus datos no es base64url (A–Z, a–z, 0–9, "-", "_").`),
  ),
  'link-not-deflate': message<{ detail: string }>(
    (p) => `The link is damaged: its data does not decompress (${p.detail}).`,
    (p) => `El enlace está dañado: sus datos no se pueden descomprimir (${p.detail}).`,
  ),
  'link-too-large': message<{ max: number }>(
    (p) => `The link's data unpacks to more than ${p.max} bytes, more than any cell needs: it was not opened.`,
    (p) => `Los datos del enlace ocupan más de ${p.max} bytes al descomprimirlos, más de lo que necesita una celda: no se ha abierto.`,
  ),
  'link-not-json': message<{ detail: string } | { notText: true }>(
    (p) => ('detail' in p ? `The link's data is not valid JSON: ${p.detail}` : "The link's data is not UTF-8 text."),
    (p) => ('detail' in p ? `Los datos del enlace no son JSON válido: ${p.detail}` : 'Los datos del enlace no son texto UTF-8.'),
  ),
  'link-not-an-object': message<{ got: Shown }>(
    (p) => `The link's data must be a JSON object with "v" and "cell"${got('en', renderShown(p.got, 'en'))}.`,
    (p) => `Los datos del enlace deben ser un objeto JSON con "v" y "cell"${got('es', renderShown(p.got, 'es'))}.`,
  ),
  'link-version': message<{ got: Shown; supported: number }>(
    (p) => `The link's "v" must be ${p.supported} (a link from another Celda version?)${got('en', renderShown(p.got, 'en'))}.`,
    (p) => `El campo "v" del enlace debe ser ${p.supported} (¿un enlace de otra versión de Celda?)${got('es', renderShown(p.got, 'es'))}.`,
  ),
  /** The lesson part of a link: an object with `id` and `step`. */
  'link-bad-lesson': message<{ field: 'lesson' | 'lesson.id' | 'lesson.step'; got: Shown }>(
    (p) => ({
      lesson: 'The link\'s "lesson" must be an object with "id" and "step"',
      'lesson.id': 'The link\'s "lesson.id" must be 1–64 characters from a–z, 0–9 and "-"',
      'lesson.step': 'The link\'s "lesson.step" must be a whole number from 0 to 99',
    })[p.field] + got('en', renderShown(p.got, 'en')) + '.',
    (p) => ({
      lesson: 'La "lesson" del enlace debe ser un objeto con "id" y "step"',
      'lesson.id': 'El "lesson.id" del enlace debe tener de 1 a 64 caracteres entre a–z, 0–9 y "-"',
      'lesson.step': 'El "lesson.step" del enlace debe ser un número entero de 0 a 99',
    })[p.field] + got('es', renderShown(p.got, 'es')) + '.',
  ),

  // ---- Lessons (src/lessons/load.ts): `field` is the step's target, e.g. steps[2].check.target
  'lesson-target-does-not-compile': message<{ field: string }>(
    (p) => `${p.field}: the step's target cell does not compile, so no learner's cell could match it (its problems follow).`,
    (p) => `${p.field}: la celda objetivo del paso no compila, así que ninguna celda de quien aprende podría coincidir con ella (siguen sus problemas).`,
  ),
  /** `previous`: what the learner's cell already matches when the step starts (the starting cell or an earlier target). */
  'lesson-step-unchanged': message<{ field: string; previous: string }>(
    (p) => `${p.field} computes the same as ${p.previous}: the step asks for nothing new.`,
    (p) => `${p.field} calcula lo mismo que ${p.previous}: el paso no pide nada nuevo.`,
  ),

  // ---- Workshop packs (src/storage/workshop.ts)
  /** `id`: the lesson's id as the file gives it (shown, it may be anything). */
  'workshop-lesson-invalid': message<{ field: string; id: Shown }>(
    (p) => `${p.field} (id ${renderShown(p.id, 'en')}) is not a lesson Celda can open; its problems follow.`,
    (p) => `${p.field} (id ${renderShown(p.id, 'es')}) no es una lección que Celda pueda abrir; siguen sus problemas.`,
  ),
  'empty-workshop-pack': message<Record<string, never>>(
    () => 'The workshop pack holds no lessons and no cells.',
    () => 'El paquete de taller no contiene lecciones ni celdas.',
  ),

  // ---- Ablations (src/model/ablate.ts)
  /** `sigmoids`: the cell's sigmoid nodes (labels or ids), none of which is labelled as a gate. */
  'no-labelled-gates': message<{ sigmoids: readonly string[] }>(
    (p) => 'No gate could be recognised for the ablations: label each gate\'s sigmoid "input", "forget" or "output" '
      + '(also "update", "reset", or Spanish "entrada", "olvido", "salida", "actualización", or Γ_u, Γ_f, Γ_o). '
      + (p.sigmoids.length === 0 ? 'The cell has no sigmoid.' : `Its sigmoids: ${quoted(p.sigmoids)}.`),
    (p) => 'No se reconoce ninguna puerta para las ablaciones: etiqueta la sigmoide de cada puerta "entrada", "olvido" o "salida" '
      + '(también "actualización", "reinicio", en inglés "input", "forget", "output", "update", "reset", o Γ_u, Γ_f, Γ_o). '
      + (p.sigmoids.length === 0 ? 'La celda no tiene ninguna sigmoide.' : `Sus sigmoides: ${quoted(p.sigmoids)}.`),
  ),
} satisfies Readonly<Record<string, Bilingual<never>>>;

export type DiagnosticCode = keyof typeof MESSAGES;
export type MessageParams<C extends DiagnosticCode> = Parameters<(typeof MESSAGES)[C]['en']>[0];

export function isDiagnosticCode(code: string): code is DiagnosticCode {
  return Object.hasOwn(MESSAGES, code);
}

export function renderMessage<C extends DiagnosticCode>(code: C, params: MessageParams<C>, lang: Lang): string {
  const render = MESSAGES[code][lang] as (p: MessageParams<C>) => string;
  return render(params);
}
