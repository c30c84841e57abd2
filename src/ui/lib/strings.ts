/**
 * Every piece of UI text, in English and Spanish: one table per language,
 * checked by the type system to have the same entries. Node names and docs
 * come from the node registry (nodes/*.ts), not from here.
 */
import type { Notation } from '../../compiler/equations';
import type { SkipReason, TrainingBackend } from '../../gpu/choose';
import type { TaskName } from '../../runtime/tasks/index';
import type { LossKind } from '../../runtime/tasks/types';
import type { ZooGroup } from '../../../examples/zoo';

export type Lang = 'en' | 'es';

export const LANGS: readonly Lang[] = ['en', 'es'];

export type ExampleId = 'rnn' | 'lstm' | 'gru' | 'gru-reset-after';
export type PaletteGroupId = 'io' | 'gates' | 'arithmetic' | 'structure' | 'parameters' | 'other';
export type ShortcutAction =
  | 'undo' | 'redo' | 'delete' | 'copy' | 'cut' | 'paste' | 'duplicate'
  | 'selectAll' | 'deselect' | 'fit' | 'arrange' | 'save' | 'help';

export interface Strings {
  /** The table's own language, for text rendered outside it (diagnostics). */
  readonly lang: Lang;
  readonly languageName: string;
  readonly language: string;
  // Toolbar
  readonly toolbar: string;
  readonly newCell: string;
  readonly newCellTitle: string;
  readonly newCellName: string;
  /** The label of a new cell's state (display text: the equations read "hidden" and "oculto" alike). */
  readonly newCellStateLabel: string;
  readonly confirmDiscard: string;
  readonly examples: string;
  readonly examplesTitle: string;
  readonly exampleNames: Readonly<Record<ExampleId, string>>;
  readonly exampleBlurbs: Readonly<Record<ExampleId, string>>;
  readonly open: string;
  readonly openTitle: string;
  readonly openFailed: (file: string) => string;
  readonly fileTooLarge: (mb: number) => string;
  readonly dismiss: string;
  /** The canvas, for screen readers; what went wrong when it could not start or draw (an internal error's text follows). */
  readonly canvasLabel: string;
  readonly canvasFailed: (detail: string) => string;
  readonly canvasSyncFailed: (detail: string) => string;
  readonly exportMenu: string;
  readonly exportTitle: string;
  readonly downloadCell: string;
  readonly diagramSvg: string;
  readonly diagramPng: string;
  readonly pytorch: string;
  readonly tfjs: string;
  readonly needsCompiled: string;
  readonly exportFailed: string;
  readonly undo: string;
  readonly redo: string;
  readonly arrange: string;
  readonly arrangeTitle: string;
  readonly fit: string;
  readonly fitTitle: string;
  readonly canvasNotReady: string;
  readonly inputSize: string;
  readonly hiddenSize: string;
  readonly inputSizeTitle: string;
  readonly hiddenSizeTitle: string;
  readonly notation: string;
  readonly notationNames: Readonly<Record<Notation, string>>;
  readonly help: string;
  readonly helpTitle: string;
  // Palette
  readonly paletteTitle: string;
  readonly search: string;
  readonly paletteHint: string;
  readonly groups: Readonly<Record<PaletteGroupId, string>>;
  readonly noMatch: string;
  // Inspector
  readonly inspectorTitle: string;
  readonly cellTitle: string;
  readonly name: string;
  readonly description: string;
  readonly sizes: string;
  readonly namedSizes: string;
  readonly learnedParameters: string;
  readonly total: string;
  readonly noLearnedParameters: string;
  readonly states: string;
  readonly countsNeedCompile: string;
  readonly kind: string;
  readonly id: string;
  readonly label: string;
  readonly labelPlaceholder: string;
  readonly outputSize: string;
  readonly unknownSize: string;
  readonly settings: string;
  readonly equation: string;
  readonly equationGeneric: string;
  readonly equationPartOf: string;
  readonly about: string;
  readonly deleteNodes: string;
  readonly selectedMany: (n: number) => string;
  readonly unknownKind: (kind: string) => string;
  readonly nodeProblems: (n: number) => string;
  // Validation
  readonly textTooLong: (max: number) => string;
  readonly noControlChars: string;
  readonly numberRange: (min: number, max: number) => string;
  readonly integerRange: (min: number, max: number) => string;
  readonly notASize: (detail: string) => string;
  readonly chooseOption: string;
  // Problems
  readonly problemsTitle: string;
  readonly noProblems: string;
  readonly error: string;
  readonly warning: string;
  readonly problemCounts: (errors: number, warnings: number) => string;
  readonly showNode: string;
  // Equations
  readonly equationsTitle: string;
  readonly notCompiledYet: string;
  readonly noEquations: string;
  readonly equationsList: string;
  readonly copyText: string;
  readonly copyLatex: string;
  readonly copied: string;
  readonly copyFailed: string;
  readonly typesetting: string;
  readonly typesetFailed: (reason: string) => string;
  readonly equationsShown: (shown: number, total: number) => string;
  readonly showAllEquations: string;
  // Shortcuts
  readonly shortcutsTitle: string;
  readonly shortcutsNote: string;
  readonly close: string;
  readonly shortcutNames: Readonly<Record<ShortcutAction, string>>;
  readonly keyNames: Readonly<Record<'delete' | 'backspace' | 'escape' | 'shift', string>>;
  readonly copiedNodes: (n: number) => string;
  readonly pastedNodes: (n: number) => string;
  readonly deletedNodes: (n: number) => string;
  // Projects and storage
  readonly projects: string;
  readonly projectsTitle: string;
  readonly searchProjects: string;
  readonly noProjects: string;
  readonly newProject: string;
  readonly openProject: string;
  readonly rename: string;
  readonly renamePrompt: string;
  readonly duplicate: string;
  readonly copyOf: (name: string) => string;
  readonly deleteProject: string;
  readonly currentProject: string;
  readonly changedAt: (when: string) => string;
  readonly projectDeleted: (name: string) => string;
  readonly undoDelete: string;
  readonly saved: string;
  readonly saving: string;
  readonly notSaved: (reason: string) => string;
  readonly notStored: string;
  readonly conflictKept: (name: string) => string;
  /** The name of the copy a conflict keeps. */
  readonly conflictName: (name: string) => string;
  readonly reloadedFromOtherTab: string;
  readonly exportYourWork: string;
  readonly storageErrors: Readonly<Record<'quota' | 'blocked' | 'version' | 'unavailable' | 'closed', string>>;
  readonly projectFile: string;
  readonly backupAll: string;
  readonly restoreBackup: string;
  readonly confirmRestore: string;
  readonly restored: (projects: number) => string;
  readonly restoreFailed: string;
  readonly usage: (used: string, quota: string) => string;
  readonly persistent: string;
  readonly dropHint: string;
  readonly safeStartUnfinished: (project: string) => string;
  readonly safeStartAsked: (project: string) => string;
  readonly openLastProject: string;
  readonly exportLastProject: string;
  readonly welcome: WelcomeStrings;
  readonly training: TrainingStrings;
  readonly tasks: TaskStrings;
  readonly share: ShareStrings;
  readonly offline: OfflineStrings;
  readonly presenter: PresenterStrings;
  readonly lessons: LessonsStrings;
  readonly workshop: WorkshopStrings;
  readonly zoo: ZooStrings;
  readonly ablate: AblateStrings;
  readonly arena: ArenaStrings;
  readonly backend: BackendStrings;
}

/** The ablation generator (Export menu): Greff et al.'s variants of the open cell, each a new project. */
export interface AblateStrings {
  readonly action: string;
  /** Under the action: what it makes, and that the open project stays as it is. */
  readonly actionHint: string;
  readonly needsCompiled: string;
  readonly needsStorage: string;
  /** How many projects were made from the cell `name`, and the variants' ids ("NIG, NFG"). */
  readonly made: (count: number, name: string, variants: string) => string;
  /** The variants skipped, each with its reason ("NP: no gate adds …"). */
  readonly skipped: (count: number, list: string) => string;
  /** Nothing was made, and why (a diagnostic's sentence). */
  readonly none: (why: string) => string;
}

/** The Arena panel (components/ArenaPanel.svelte): cells × tasks × seeds, trained in workers, compared with confidence. */
export interface ArenaStrings {
  readonly open: string;
  readonly openTitle: string;
  readonly title: string;
  readonly intro: string;
  readonly cells: string;
  readonly projects: string;
  readonly noProjects: string;
  readonly zoo: string;
  readonly tasks: string;
  readonly seeds: string;
  readonly steps: string;
  readonly sizing: string;
  readonly sameHidden: string;
  readonly matchParams: string;
  readonly hidden: string;
  readonly params: string;
  readonly baseline: string;
  readonly run: string;
  readonly runTitle: string;
  readonly stop: string;
  readonly planning: string;
  readonly progress: string;
  /** Runs of this Run press finished, of how many. */
  readonly progressText: (done: number, total: number) => string;
  readonly refused: string;
  readonly nothingToRun: string;
  readonly results: string;
  readonly noResults: string;
  readonly rank: string;
  readonly cell: string;
  readonly parameters: string;
  readonly finalLoss: string;
  readonly delta: string;
  readonly pT: string;
  readonly pWilcoxon: string;
  readonly runs: string;
  readonly timePerRun: string;
  readonly baselineMark: string;
  /** Under each table: what the numbers are. */
  readonly tableNote: (seeds: number) => string;
  readonly runsLeft: (left: number) => string;
  /** Under each table: the task's loss and what the best model without memory scores on it. */
  readonly memoryless: (score: string, loss: LossKind) => string;
  readonly failedRuns: string;
  readonly failedRun: (cell: string, seed: number, why: string) => string;
  /** The curves show the validation loss where every point has one, else the training loss. */
  readonly curvesTitle: (task: string, metric: 'training' | 'validation') => string;
  readonly boxTitle: (task: string) => string;
  readonly stepAxis: string;
  readonly trainLossAxis: string;
  readonly validLossAxis: string;
  readonly finalLossAxis: string;
  readonly downloadCsv: string;
  readonly forget: string;
  readonly forgetTitle: string;
  readonly kept: (runs: number) => string;
  readonly workerFailed: (why: string) => string;
  readonly runFailed: (why: string) => string;
}

/** What each task is, and what a model trained on spell-number or dinosaurs can do (the training drawer). */
export interface TaskStrings {
  /** One line under the task menu. */
  readonly blurbs: Readonly<Record<TaskName, string>>;
  readonly spellTitle: string;
  readonly spellNumber: string;
  readonly spellBadNumber: string;
  readonly spellRight: string;
  readonly spellWrong: (right: string) => string;
  /** The model wrote no end mark within the longest spelling's length. */
  readonly spellNoEnd: string;
  readonly spellHeldOut: string;
  readonly spellSeen: string;
  readonly namesTitle: string;
  readonly namesMore: string;
  /** A sampled name that is in the training list. */
  readonly namesReal: string;
  readonly namesNote: string;
}

/** The presenter view and its step-by-step play of one time step (components/PresenterBar.svelte). */
export interface PresenterStrings {
  readonly present: string;
  readonly presentTitle: string;
  readonly bar: string;
  readonly previous: string;
  readonly next: string;
  readonly play: string;
  readonly pause: string;
  readonly reset: string;
  /** Before the first node: what the play shows, at which step of the example, and the keys. */
  readonly intro: (step: number) => string;
  readonly notCompiled: string;
  readonly progress: (shown: number, total: number) => string;
  /** What a state, the input and the output show, after their names. */
  readonly stateValue: string;
  readonly inputValue: string;
  readonly outputValue: string;
}

/** The card a first visit opens with (components/Welcome.svelte). */
export interface WelcomeStrings {
  readonly title: string;
  readonly text: string;
  readonly examples: string;
  readonly blank: string;
  readonly blankTitle: string;
  readonly lesson: string;
  readonly dismiss: string;
}

/** Share links and their QR code (components/ShareDialog.svelte; a link's problems are diagnostics, src/model/messages.ts). */
export interface ShareStrings {
  readonly open: string;
  readonly openTitle: string;
  readonly title: string;
  readonly intro: string;
  readonly making: string;
  readonly link: string;
  readonly copy: string;
  readonly copied: string;
  readonly copyFailed: string;
  readonly showQr: string;
  readonly hideQr: string;
  readonly qrLabel: string;
  /** The link is longer than a QR code holds (characters, the most a QR code holds). */
  readonly qrTooLong: (chars: number, max: number) => string;
  /** The cell makes a link longer than links may be (characters, the limit); the export menu's cell file follows. */
  readonly tooLong: (chars: number, max: number) => string;
  readonly makeFailed: (detail: string) => string;
  /** What could not be opened, after "Could not open": the link in the address. */
  readonly sharedLink: string;
  /** The name of a shared cell that has none. */
  readonly sharedCellName: string;
}

/** The app stored for offline use, and a new version waiting (components/OfflineBanner.svelte). */
export interface OfflineStrings {
  readonly ready: string;
  readonly updateReady: string;
  /** Another tab let the new version in; this one waits for its user. */
  readonly updatedElsewhere: string;
  readonly reload: string;
  readonly reloadTitle: string;
  readonly later: string;
  readonly laterTitle: string;
  /** The browser refused the service worker; its own (untranslated) words follow. */
  readonly registerFailed: (detail: string) => string;
  readonly storeFailed: string;
}

export interface TrainingStrings {
  /** A typed character the text model never saw (keyboard, inside view). */
  readonly notInVocabulary: (char: string, position: number) => string;
  readonly open: string;
  readonly openTitle: string;
  readonly title: string;
  readonly close: string;
  readonly task: string;
  readonly taskNames: Readonly<Record<TaskName, string>>;
  readonly steps: string;
  readonly batch: string;
  readonly length: string;
  readonly lr: string;
  readonly clip: string;
  readonly seed: string;
  readonly backend: string;
  readonly start: string;
  readonly stop: string;
  readonly fixProblems: string;
  readonly progress: (step: number, total: number) => string;
  readonly speed: (stepsPerSecond: string, eta: string) => string;
  readonly loss: string;
  readonly validation: (loss: string) => string;
  readonly failed: (message: string) => string;
  readonly runs: string;
  readonly noRuns: string;
  readonly statusNames: Readonly<Record<'queued' | 'running' | 'done' | 'stopped' | 'failed', string>>;
  readonly keyboard: string;
  readonly prefix: string;
  readonly temperature: (t: string) => string;
  readonly inside: string;
  readonly insideText: string;
  readonly scrubber: (step: number, steps: number) => string;
  readonly saturated: (percent: string) => string;
  readonly gradientFlow: string;
  readonly gradientFlowHelp: (length: number) => string;
  readonly thisCell: string;
  readonly run: string;
  readonly statusTitle: string;
  readonly validationTitle: string;
  readonly parameters: string;
  readonly compare: (run: string) => string;
  readonly text: string;
  readonly textPlaceholder: string;
  readonly gradNorm: string;
  readonly natsAndBits: (nats: string, bits: string) => string;
  readonly resume: string;
  readonly divergedLoss: (step: number) => string;
  readonly divergedGradient: (step: number, tensor: string) => string;
  readonly divergedAt: (step: number) => string;
  readonly resumeWith: (lr: string, clip: string) => string;
  readonly cellChanged: string;
  readonly noCheckpoint: string;
  readonly textNotKept: string;
  readonly insideExample: string;
  readonly histogram: string;
  readonly views: string;
  readonly tabs: Readonly<Record<'train' | 'flow' | 'inside' | 'runs', string>>;
  readonly resize: string;
  readonly textNotSaved: string;
  readonly openTextFile: string;
  readonly lossChart: string;
  readonly runsChart: string;
  readonly liveFill: string;
  readonly insideWaiting: string;
  readonly insideNone: string;
  readonly insideLive: (step: number) => string;
  readonly insideTrained: (step: number) => string;
  readonly colourScale: string;
  readonly sigmoidScale: string;
  readonly tanhScale: string;
  readonly saturationHelp: string;
  readonly stepAxis: string;
  readonly lossAxis: string;
  readonly timeAxis: string;
  readonly flowAxis: string;
  readonly atStep: (step: number) => string;
  readonly latestStep: (step: number) => string;
  readonly noStepsYet: string;
  readonly finalLosses: string;
  readonly atTime: (t: number) => string;
  readonly pointAtChart: string;
  readonly measureStudy: (steps: number) => string;
  readonly flowProgress: (cell: string, index: number, cells: number, step: number, steps: number) => string;
  readonly flowStopped: string;
  readonly flowFailed: (message: string) => string;
  readonly flowWhen: string;
  readonly before: string;
  readonly after: (steps: number) => string;
  readonly flowHolds: (gated: string, kept: string, elman: string, factor: string) => string;
  readonly flowFails: (gated: string, kept: string, elman: string, factor: string) => string;
  readonly beforeExplained: string;
  readonly thisCellIs: (example: string) => string;
  readonly ownTwin: (example: string) => string;
  readonly ownNotCompiled: string;
  readonly ownNoState: string;
  readonly flowCell: string;
  readonly keptBefore: string;
  readonly keptAfter: string;
  readonly lossAfter: string;
  readonly keptHelp: string;
}

/** The lessons panel (components/LessonPanel.svelte); the lessons' own texts live in src/lessons/catalog.ts. */
/** Workshop packs: an instructor's lessons and cells in one file (components/WorkshopExport.svelte, the lessons panel). */
export interface WorkshopStrings {
  readonly export: string;
  readonly exportTitle: string;
  readonly exportIntro: string;
  readonly packTitle: string;
  readonly lessons: string;
  readonly cells: string;
  readonly noProjects: string;
  readonly needTitle: string;
  readonly needContent: string;
  readonly download: string;
  readonly cancel: string;
  /** A lesson's pack, under its name in the list. */
  readonly fromPack: (title: string) => string;
  readonly remove: string;
  /** The pack's title, how many lessons and cells it added. */
  readonly opened: (title: string, lessons: number, cells: number) => string;
}

export interface LessonsStrings {
  readonly open: string;
  readonly openTitle: string;
  readonly title: string;
  readonly close: string;
  readonly intro: string;
  readonly notStarted: string;
  readonly completed: string;
  readonly start: string;
  readonly resume: string;
  readonly restart: string;
  readonly restartTitle: string;
  readonly allLessons: string;
  readonly goal: string;
  readonly step: (step: number, steps: number) => string;
  readonly check: string;
  readonly checkTitle: string;
  readonly done: string;
  readonly doneTitle: string;
  readonly correct: string;
  readonly nextStep: string;
  readonly finish: string;
  readonly finished: string;
  readonly notYet: string;
  readonly doesNotCompile: string;
  readonly showNode: string;
  readonly showHint: string;
  readonly hint: (index: number, hints: number) => string;
  /** The project a lesson opens its starting cell in. */
  readonly projectName: (title: string) => string;
  readonly kept: string;
}

/** The zoo gallery of published cells (components/ZooGallery.svelte; the cells are examples/zoo). */
export interface ZooStrings {
  /** The Examples menu's item, and the line under it. */
  readonly open: string;
  readonly openTitle: string;
  readonly title: string;
  readonly intro: string;
  readonly search: string;
  readonly loading: string;
  readonly loadFailed: (detail: string) => string;
  /** How many cells the search leaves, of how many. */
  readonly shown: (shown: number, total: number) => string;
  readonly noMatch: string;
  /** The group titles, in the order examples/zoo/index.ts gives them. */
  readonly groups: Readonly<Record<ZooGroup, string>>;
  /** Each cell's name, keyed by its zoo id (examples/zoo/index.ts; tests/ui/zoo.test.ts checks every id has one). */
  readonly names: Readonly<Record<string, string>>;
  /** The sizes a cell opens with (its file's), named sizes after them. */
  readonly sizes: (input: number, hidden: number) => string;
  /** A parameter count (already formatted) at the sizes. */
  readonly parameters: (count: string, sizes: string) => string;
  readonly equations: (name: string) => string;
  readonly openCell: string;
  /** The Open button's name for screen readers: which cell it opens. */
  readonly openCellLabel: (name: string) => string;
  readonly openCellTitle: string;
  readonly unreadable: string;
}

/** Which backend trains (the form's choice) and which one ran, with why the faster ones did not (src/gpu/choose.ts). */
export interface BackendStrings {
  /** The form's choices. */
  readonly choices: Readonly<Record<'auto' | 'webgpu' | 'webgl2' | 'webasm' | 'reference', string>>;
  readonly choiceTitle: string;
  /** Each backend's name inside a sentence. */
  readonly names: Readonly<Record<TrainingBackend, string>>;
  readonly trainingOn: (backend: string) => string;
  /** Why a faster backend was passed over; `detail`: a software adapter's name, or a limit or compiler error (English, summarised). */
  readonly skipped: Readonly<Record<SkipReason, (backend: string, detail: string) => string>>;
  /** A backend the user chose could not train: why, then what to do. */
  readonly cannotTrain: (why: string) => string;
}

const en: Strings = {
  lang: 'en',
  languageName: 'English',
  language: 'Language',
  toolbar: 'Toolbar',
  newCell: 'New',
  newCellTitle: 'Start a new cell with an input, a hidden state and an output',
  newCellName: 'New cell',
  newCellStateLabel: 'hidden',
  confirmDiscard: 'Discard the changes to this cell? (Download it first to keep them.)',
  examples: 'Examples',
  examplesTitle: 'Open an example cell',
  exampleNames: { rnn: 'Elman RNN', lstm: 'LSTM', gru: 'GRU (reset before)', 'gru-reset-after': 'GRU (reset after, PyTorch/Keras)' },
  exampleBlurbs: {
    rnn: 'The plain recurrent cell',
    lstm: 'Long short-term memory, tutorial notation',
    gru: 'Gated recurrent unit as in the tutorial',
    'gru-reset-after': 'As nn.GRU and Keras compute it',
  },
  open: 'Open…',
  openTitle: 'Open a cell (.json) or project (.celda.json) file',
  openFailed: (file) => `Could not open ${file}:`,
  fileTooLarge: (mb) => `The file is larger than ${mb} MB.`,
  dismiss: 'Dismiss',
  canvasLabel: 'Cell canvas',
  canvasFailed: (detail) => `The canvas could not start: ${detail}`,
  canvasSyncFailed: (detail) => `The canvas could not show this cell: ${detail}`,
  exportMenu: 'Export',
  exportTitle: 'Download the cell, its diagram or its code',
  downloadCell: 'Cell file (.json)',
  diagramSvg: 'Diagram (SVG)',
  diagramPng: 'Diagram (PNG)',
  pytorch: 'PyTorch module + weights',
  tfjs: 'TF.js module + weights',
  needsCompiled: 'Fix the problems first: code is exported once the cell compiles.',
  exportFailed: 'The export failed.',
  undo: 'Undo',
  redo: 'Redo',
  arrange: 'Arrange',
  arrangeTitle: 'Lay the graph out left to right (L)',
  fit: 'Fit',
  fitTitle: 'Zoom to fit the whole cell (F)',
  canvasNotReady: 'The canvas is not ready yet.',
  inputSize: 'Input',
  hiddenSize: 'Hidden',
  inputSizeTitle: 'Size of x_t (the "input" size)',
  hiddenSizeTitle: 'Size of the hidden state (the "hidden" size)',
  notation: 'Notation',
  notationNames: { tutorial: 'Tutorial (a_t, c_t)', olah: 'Olah (h_t, C_t)', pytorch: 'PyTorch (h_t, c_t)' },
  help: 'Shortcuts',
  helpTitle: 'Keyboard shortcuts (?)',
  paletteTitle: 'Nodes',
  search: 'Search nodes',
  paletteHint: 'Drag onto the canvas, or double-click to add.',
  groups: {
    io: 'Inputs & states',
    gates: 'Gates & activations',
    arithmetic: 'Arithmetic',
    structure: 'Structure',
    parameters: 'Parameters',
    other: 'Other',
  },
  noMatch: 'No node matches.',
  inspectorTitle: 'Inspector',
  cellTitle: 'Cell',
  name: 'Name',
  description: 'Description',
  sizes: 'Sizes',
  namedSizes: 'Named sizes',
  learnedParameters: 'Learned parameters',
  total: 'Total',
  noLearnedParameters: 'This cell learns no parameters.',
  states: 'States',
  countsNeedCompile: 'Parameter counts appear once the cell compiles.',
  kind: 'Kind',
  id: 'Id',
  label: 'Label',
  labelPlaceholder: 'e.g. forget',
  outputSize: 'Output size',
  unknownSize: 'not known yet',
  settings: 'Settings',
  equation: 'Equation',
  equationGeneric: 'General form; wire the cell to see this node\'s own equation.',
  equationPartOf: 'Written inside:',
  about: 'About',
  deleteNodes: 'Delete',
  selectedMany: (n) => `${n} nodes selected.`,
  unknownKind: (kind) => `Unknown node kind "${kind}".`,
  nodeProblems: (n) => (n === 1 ? '1 problem' : `${n} problems`),
  textTooLong: (max) => `At most ${max} characters.`,
  noControlChars: 'No control characters.',
  numberRange: (min, max) => `A number from ${min} to ${max}.`,
  integerRange: (min, max) => `A whole number from ${min} to ${max}.`,
  notASize: (detail) => `Not a size: ${detail}.`,
  chooseOption: 'Choose one of the options.',
  problemsTitle: 'Problems',
  noProblems: 'No problems',
  error: 'Error',
  warning: 'Warning',
  problemCounts: (e, w) => `${e} ${e === 1 ? 'error' : 'errors'}, ${w} ${w === 1 ? 'warning' : 'warnings'}`,
  showNode: 'Show the node',
  equationsTitle: 'Equations',
  notCompiledYet: 'The cell does not compile yet: fix the problems to see its equations.',
  noEquations: 'No equations.',
  equationsList: 'The cell\'s equations, one per line',
  copyText: 'Copy as text',
  copyLatex: 'Copy LaTeX',
  copied: 'Copied.',
  copyFailed: 'Could not copy.',
  typesetting: 'Typesetting the equations…',
  typesetFailed: (reason) => `The equations could not be typeset: ${reason}`,
  equationsShown: (shown, total) => `${total} equations; showing the first ${shown}.`,
  showAllEquations: 'Show all',
  shortcutsTitle: 'Keyboard shortcuts',
  shortcutsNote: 'Shortcuts are ignored while you type in a field.',
  close: 'Close',
  shortcutNames: {
    undo: 'Undo',
    redo: 'Redo',
    delete: 'Delete the selected nodes',
    copy: 'Copy the selected nodes',
    cut: 'Cut the selected nodes',
    paste: 'Paste',
    duplicate: 'Duplicate the selected nodes',
    selectAll: 'Select all',
    deselect: 'Clear the selection / close this help',
    fit: 'Zoom to fit',
    arrange: 'Auto-arrange',
    save: 'Download the cell file',
    help: 'Show this help',
  },
  keyNames: { delete: 'Delete', backspace: 'Backspace', escape: 'Esc', shift: 'Shift' },
  copiedNodes: (n) => (n === 1 ? 'Copied 1 node.' : `Copied ${n} nodes.`),
  pastedNodes: (n) => (n === 1 ? 'Pasted 1 node.' : `Pasted ${n} nodes.`),
  deletedNodes: (n) => (n === 1 ? 'Deleted 1 node.' : `Deleted ${n} nodes.`),
  projects: 'Projects',
  projectsTitle: 'Your projects, kept in this browser',
  searchProjects: 'Search projects',
  noProjects: 'No projects match.',
  newProject: 'New project',
  openProject: 'Open this project',
  rename: 'Rename',
  renamePrompt: 'New name for the project:',
  duplicate: 'Duplicate',
  copyOf: (name) => `${name} (copy)`,
  deleteProject: 'Delete',
  currentProject: 'open now',
  changedAt: (when) => `changed ${when}`,
  projectDeleted: (name) => `Deleted the project "${name}".`,
  undoDelete: 'Undo delete',
  saved: 'Saved',
  saving: 'Saving…',
  notSaved: (reason) => `Not saved: ${reason}`,
  notStored: 'Not kept in this browser',
  conflictName: (name) => `${name} (conflict)`,
  conflictKept: (name) => `Another tab changed this project; your version was kept as "${name}".`,
  reloadedFromOtherTab: 'This project was changed in another tab; showing the new version.',
  exportYourWork: 'Export your work',
  storageErrors: {
    quota: 'The browser has no room left for Celda (storage quota exceeded), so nothing was saved. Your work is still open: export it to a file, or free space by deleting old projects.',
    blocked: 'Another tab is running an older Celda and blocks the update of its storage. Close or reload the other Celda tabs; your work here is kept.',
    version: 'This browser holds Celda data written by a newer Celda. Reload the page to get the newer Celda; nothing was changed.',
    unavailable: 'This browser does not let Celda store anything (IndexedDB is unavailable, as in some private windows). Your work stays open in this tab but will not be kept: export it to a file.',
    closed: 'The connection to the browser storage was closed (another tab may have updated Celda, or the site data was cleared). Export your work, then reload the page.',
  },
  projectFile: 'Project (.celda.json)',
  backupAll: 'Backup all',
  restoreBackup: 'Restore backup',
  confirmRestore: 'Replace every project in this browser with the backup? Projects not in the backup will be lost.',
  restored: (n) => (n === 1 ? 'Restored 1 project from the backup.' : `Restored ${n} projects from the backup.`),
  restoreFailed: 'The backup was not restored; nothing was changed.',
  usage: (used, quota) => `${used} used of ${quota}`,
  persistent: 'kept by the browser',
  dropHint: 'Drop a cell (.json) or project (.celda.json) file to open it',
  safeStartUnfinished: (project) => `Celda did not finish opening “${project}” last time, so it opened the project list instead. Open it again, or export it.`,
  safeStartAsked: (project) => `Safe start (?safe in the address): the project list is open instead of your last project, “${project}”. Open it, or export it.`,
  openLastProject: 'Open it',
  exportLastProject: 'Export it',
  welcome: {
    title: 'Welcome to Celda',
    text: 'This LSTM is ready to train: each box is one operation, the wires carry vectors, and the equations below are read from the wiring.',
    examples: 'Examples:',
    blank: 'Start blank',
    blankTitle: 'A new cell with an input, a hidden state and an output, to wire yourself',
    lesson: 'Start a lesson',
    dismiss: 'Close',
  },
  training: {
    notInVocabulary: (char, position) => `The character ${JSON.stringify(char)} (position ${position + 1}) is not in the model's vocabulary.`,
    open: 'Train',
    openTitle: 'Train this cell on a task (in a background worker: the canvas stays responsive)',
    title: 'Training',
    close: 'Close',
    task: 'Task',
    taskNames: { charlm: 'Next character (Spanish corpus)', adding: 'Adding problem', copy: 'Copy memory', order: 'Temporal order', sine: 'Noisy sines (forecast)', 'spell-number': 'Spell a number (Spanish)', dinosaurs: 'Dinosaur names' },
    steps: 'Steps',
    batch: 'Batch',
    length: 'Sequence length',
    lr: 'Learning rate',
    clip: 'Gradient clipping (largest norm; 0: none)',
    seed: 'Seed',
    backend: 'Backend',
    start: 'Start',
    stop: 'Stop',
    fixProblems: 'Fix the cell\'s problems first: only a cell that compiles can train.',
    progress: (step, total) => `step ${step} of ${total}`,
    speed: (sps, eta) => `${sps} steps/s, ${eta} left`,
    loss: 'Training loss',
    validation: (loss) => `Validation loss: ${loss}`,
    failed: (message) => `Training failed: ${message}`,
    runs: 'Runs of this project',
    noRuns: 'No runs yet.',
    statusNames: { queued: 'queued', running: 'running', done: 'done', stopped: 'stopped', failed: 'failed' },
    keyboard: 'Keyboard: the next character',
    prefix: 'Type a beginning',
    temperature: (t) => `Temperature ${t} (low: safe guesses; high: adventurous)`,
    inside: 'Inside the cell: every gate over time',
    insideText: 'Text to run the cell over',
    scrubber: (step, steps) => `Time step ${step} of ${steps}`,
    saturated: (p) => `${p}% saturated`,
    gradientFlow: 'Gradient flow: how far back the error reaches',
    gradientFlowHelp: (n) => `The adding problem: ${n} steps, the loss at the last one only. Each curve is the size of the gradient ‖∂L/∂a_t‖ that reaches the hidden state a_t of an earlier step (log scale, seed 1, same data for every cell): the lower it falls towards t = 0, the less the first steps can learn.`,
    thisCell: 'This cell',
    run: 'Run',
    statusTitle: 'Status',
    validationTitle: 'Validation',
    parameters: 'Parameters',
    compare: (run) => `Show ${run} in the chart`,
    text: 'Your text (paste or open a .txt file; empty: the built-in Spanish corpus)',
    textPlaceholder: 'At least 200 characters…',
    gradNorm: 'Gradient norm',
    natsAndBits: (nats, bits) => `${nats} nats = ${bits} bits/char`,
    resume: 'Resume',
    divergedLoss: (step) => `Training stopped at step ${step}: the loss became NaN or infinite. The last good parameters are kept: lower the learning rate or the clipping and resume.`,
    divergedGradient: (step, tensor) => `Training stopped at step ${step}: the gradient of ${tensor} became NaN or infinite. The last good parameters are kept: lower the learning rate or the clipping and resume.`,
    divergedAt: (step) => `NaN or ∞ at step ${step}`,
    resumeWith: (lr, clip) => `Resume with learning rate ${lr}, clipping ${clip}`,
    cellChanged: 'The cell has changed since this run: a run resumes only on the cell it trained.',
    noCheckpoint: 'This run kept no checkpoint to resume from.',
    textNotKept: 'This run trained on a text too long to keep with it, so it cannot resume: start a new run.',
    insideExample: 'The first validation sequence of the task, step by step.',
    histogram: 'How the values spread over the gate\'s range',
    views: 'Training views',
    tabs: { train: 'Settings and loss', flow: 'Gradient flow', inside: 'Inside the cell', runs: 'Runs' },
    resize: 'Height of the training panel (drag, or use the arrow keys)',
    textNotSaved: 'This text is longer than 10,000 characters (or holds control characters): it is not kept with the project. Open the file again after a reload.',
    openTextFile: 'Open a .txt file…',
    lossChart: 'Loss curve: training loss, validation loss and gradient norm by step',
    runsChart: 'Training loss of the chosen runs by step',
    liveFill: 'While the cell trains, each gate on the canvas fills with its mean activation on a short sequence (σ: 0 … 1, tanh: −1 … 1), updated a few times a second.',
    insideWaiting: 'Waiting for the run\'s first parameters…',
    insideNone: 'Train the cell to look inside it: its gates show here, and follow the run while it trains.',
    insideLive: (step) => `Following the run: the parameters at step ${step}.`,
    insideTrained: (step) => `The trained cell, after step ${step}.`,
    colourScale: 'Colour: the value of each unit (a row) at each time step (a column).',
    sigmoidScale: 'σ gates: 0 (white) … 1 (blue)',
    tanhScale: 'tanh: −1 (red) … 0 (white) … 1 (blue)',
    saturationHelp: 'Saturated: σ below 0.05 or above 0.95, |tanh| above 0.95. There the gate is stuck at one end and passes almost no gradient (σ′ < 0.05, tanh′ < 0.1).',
    stepAxis: 'training step',
    lossAxis: 'loss',
    timeAxis: 'time step t',
    flowAxis: '‖∂L/∂a_t‖ (log scale)',
    atStep: (step) => `At step ${step}`,
    latestStep: (step) => `Latest, step ${step}`,
    noStepsYet: 'No steps yet',
    finalLosses: 'At the end of each run',
    atTime: (t) => `At time step t = ${t}`,
    pointAtChart: 'Point at the chart to read the values at a time step.',
    measureStudy: (steps) => `Measure before and after training (${steps} steps per cell)`,
    flowProgress: (cell, index, cells, step, steps) => `Training ${cell} (${index} of ${cells}): step ${step} of ${steps}`,
    flowStopped: 'Stopped: only the curves before training are shown (a cell stopped halfway is not trained as the chart would claim).',
    flowFailed: (message) => `The study failed: ${message}`,
    flowWhen: 'Curves to show',
    before: 'Before training',
    after: (steps) => `After training (${steps} steps)`,
    flowHolds: (gated, kept, elman, factor) => `After training, the ${gated} keeps ${kept} of the gradient back to a_0, the Elman cell ${elman}: ${factor} times more. In this run the tutorial's point holds.`,
    flowFails: (gated, kept, elman, factor) => `In this run the claim does not hold: after training, the ${gated} keeps ${kept} of the gradient back to a_0 and the Elman cell ${elman}, only ${factor} times as much (the tutorial's point needs at least 100 times more).`,
    beforeExplained: 'Before training the gates already differ. The LSTM\'s forget bias starts at 1, so f ≈ σ(1) ≈ 0.73 keeps memory from the first step; the GRU\'s update gate starts at σ(0) = 0.5, so its direct path halves the carried gradient at every step; the Elman cell multiplies it by W and tanh′ at every step. Training opens the gates: compare with the curves after training.',
    thisCellIs: (example) => `This cell (= ${example})`,
    ownTwin: (example) => `This cell is the ${example} example: it is measured once, and its wide curve lies over the ${example}'s.`,
    ownNotCompiled: 'This cell is not measured: it does not compile with the adding problem\'s input (2 numbers per step) and 16 hidden units.',
    ownNoState: 'This cell is not measured: it has no state, so no gradient flows back through time.',
    flowCell: 'Cell',
    keptBefore: 'kept back to a₀, before',
    keptAfter: 'kept back to a₀, after',
    lossAfter: 'validation loss after (no memory: 0.167)',
    keptHelp: 'Kept back to a₀: ‖∂L/∂a₀‖ over ‖∂L/∂a_{T−2}‖, the gradient reaching the first step over the one at the last (1: nothing lost on the way).',
  },
  offline: {
    ready: 'Ready to work offline',
    updateReady: 'A new version of Celda is ready',
    updatedElsewhere: 'Celda was updated in another tab. Reload this one when its work is saved (a training run here would stop).',
    reload: 'Reload',
    reloadTitle: 'Reload the page into the new version',
    later: 'Later',
    laterTitle: 'Keep this version: the new one starts once every Celda tab has closed',
    registerFailed: (detail) => `Celda cannot be stored for offline use in this browser: ${detail}`,
    storeFailed: 'Celda could not be stored for offline use (the browser refused to store its files): it still works while online.',
  },
  tasks: {
    blurbs: {
      charlm: 'Reads a text one character at a time and guesses the next one (the tutorial\'s keyboard).',
      adding: 'Many to one: add the two marked numbers of a long sequence.',
      copy: 'Remember ten symbols through a long pause, then write them back.',
      order: 'Many to one: tell in which order two symbols hidden among distractors came.',
      sine: 'Forecast the next value of a noisy mixture of sines.',
      'spell-number': 'One to many: reads a number once and writes it in Spanish words, letter by letter (42 → cuarenta y dos).',
      dinosaurs: 'Learns real dinosaur names letter by letter, then invents new ones.',
    },
    spellTitle: 'Spell a number',
    spellNumber: 'Number (0 to 999)',
    spellBadNumber: 'Type a whole number from 0 to 999.',
    spellRight: 'Right.',
    spellWrong: (right) => `Not quite: it is "${right}".`,
    spellNoEnd: 'The model did not write its end mark: it would have gone on.',
    spellHeldOut: 'Held out: the model never saw this number while training.',
    spellSeen: 'The model saw this number while training.',
    namesTitle: 'New dinosaur names',
    namesMore: 'Other names',
    namesReal: 'a real genus',
    namesNote: 'Each name is sampled letter by letter (temperature 0.8) until the model ends it; "a real genus" marks one from the list it learned.',
  },
  share: {
    open: 'Share (link, QR code)…',
    openTitle: 'A link that opens a copy of this cell, and its QR code for a projector',
    title: 'Share this cell',
    intro: 'Whoever opens this link gets their own copy of the cell as a new project. Nothing is uploaded: the cell travels inside the link.',
    making: 'Making the link…',
    link: 'Link',
    copy: 'Copy link',
    copied: 'Copied',
    copyFailed: 'Could not copy: select the link and copy it with Ctrl+C.',
    showQr: 'Show QR code',
    hideQr: 'Hide QR code',
    qrLabel: 'QR code of the link',
    qrTooLong: (chars, max) => `The link has ${chars.toLocaleString('en')} characters, more than a QR code holds (${max.toLocaleString('en')}): copy the link instead.`,
    tooLong: (chars, max) => `This cell makes a link of ${chars.toLocaleString('en')} characters; links are limited to ${max.toLocaleString('en')}. Share it as a file instead:`,
    makeFailed: (detail) => `The link could not be made: ${detail}`,
    sharedLink: 'the shared link',
    sharedCellName: 'Shared cell',
  },
  presenter: {
    present: 'Present',
    presentTitle: 'Presenter view for a projector: large text, side panels hidden, one time step played node by node (Escape leaves)',
    bar: 'Presenter view',
    previous: 'Previous',
    next: 'Next',
    play: 'Play',
    pause: 'Pause',
    reset: 'Reset',
    intro: (step) => `One time step through the cell, node by node: step t = ${step} of an example input, with seeded initial weights. Keys: → next, ← previous, Space play, Home reset, Esc leave.`,
    notCompiled: 'The cell does not compile yet: fix its problems to play a time step.',
    progress: (shown, total) => `Node ${shown} of ${total}`,
    stateValue: 'its value from the previous step',
    inputValue: 'the input at this step',
    outputValue: 'the cell\'s output at this step',
  },
  workshop: {
    export: 'Export a workshop pack…',
    exportTitle: 'Workshop pack',
    exportIntro: 'One file with the lessons and cells you pick. Learners open it with Open (or drop it on the page): it is checked whole, then its cells become projects and its lessons join this list.',
    packTitle: 'Title of the pack',
    lessons: 'Lessons',
    cells: 'Cells (saved projects)',
    noProjects: 'No saved projects yet.',
    needTitle: 'Give the pack a title.',
    needContent: 'Pick at least one lesson or cell.',
    download: 'Download pack',
    cancel: 'Cancel',
    fromPack: (title) => `From the pack “${title}”`,
    remove: 'Remove',
    opened: (title, lessons, cells) => `Opened the workshop pack “${title}”: ${lessons} ${lessons === 1 ? 'lesson' : 'lessons'}, ${cells} ${cells === 1 ? 'cell' : 'cells'}.`,
  },
  lessons: {
    open: 'Lessons',
    openTitle: 'The RNN tutorial step by step, each step checked',
    title: 'Lessons',
    close: 'Close the lessons',
    intro: 'Each lesson opens its starting cell as a new project; your other projects stay as they are.',
    notStarted: 'Not started',
    completed: 'Completed',
    start: 'Start',
    resume: 'Continue',
    restart: 'Start over',
    restartTitle: 'Open the starting cell again, as a new project, and go back to the first step',
    allLessons: 'All lessons',
    goal: 'Goal',
    step: (step, steps) => `Step ${step} of ${steps}`,
    check: 'Check',
    checkTitle: 'Compare the cell on the canvas with what this step asks for',
    done: 'Done',
    doneTitle: 'This step is about watching: go on when you have seen it',
    correct: 'Correct!',
    nextStep: 'Next step',
    finish: 'Finish the lesson',
    finished: 'Lesson complete. Well done!',
    notYet: 'Not yet:',
    doesNotCompile: 'Your cell does not compile yet:',
    showNode: 'Show the node',
    showHint: 'Show a hint',
    hint: (index, hints) => `Hint ${index} of ${hints}`,
    projectName: (title) => `Lesson: ${title}`,
    kept: 'Your progress is kept in this browser.',
  },
  zoo: {
    open: 'Zoo of published cells…',
    openTitle: 'Cells from the literature, with citation and equations',
    title: 'Zoo of published cells',
    intro: 'Published recurrent cells, wired from the same nodes as yours. Open one as a new project: your projects stay as they are.',
    search: 'Search the zoo by name',
    loading: 'Loading the zoo…',
    loadFailed: (detail) => `Could not load the zoo: ${detail}`,
    shown: (shown, total) => `${shown} of ${total} cells`,
    noMatch: 'No cell has that in its name.',
    groups: { classics: 'Classics', 'lstm-family': 'LSTM family', 'gru-family': 'GRU family', 'minimal-gated': 'Minimal gated units', other: 'Other' },
    names: {
      elman: 'Elman RNN',
      'lstm-1997': 'LSTM without forget gate',
      'lstm-peephole': 'Vanilla LSTM with peepholes',
      gru: 'GRU (reset before)',
      'gru-reset-after': 'GRU (reset after, cuDNN)',
      'lstm-nig': 'LSTM, no input gate (NIG)',
      'lstm-nfg': 'LSTM, no forget gate (NFG)',
      'lstm-nog': 'LSTM, no output gate (NOG)',
      'lstm-niaf': 'LSTM, no input activation (NIAF)',
      'lstm-noaf': 'LSTM, no output activation (NOAF)',
      'lstm-np': 'LSTM, no peepholes (NP)',
      'lstm-cifg': 'LSTM, coupled input and forget gate (CIFG)',
      'lstm-fgr': 'LSTM, full gate recurrence (FGR)',
      'layernorm-lstm': 'Layer-normalised LSTM',
      'li-gru': 'Light GRU (Li-GRU)',
      mut1: 'MUT1',
      mut2: 'MUT2',
      mut3: 'MUT3',
      mgu: 'Minimal gated unit (MGU)',
      janet: 'JANET (forget gate only)',
      ugrnn: 'Update-gate RNN (UGRNN)',
      'minimal-rnn': 'MinimalRNN',
      cfn: 'Chaos-free network (CFN)',
      indrnn: 'Independently recurrent network (IndRNN)',
      sru: 'Simple recurrent unit (SRU)',
      ran: 'Recurrent additive network (RAN)',
      scrn: 'Structurally constrained RNN (SCRN)',
    },
    sizes: (input, hidden) => `input ${input}, hidden ${hidden}`,
    parameters: (count, sizes) => `${count} learned parameters (${sizes})`,
    equations: (name) => `Equations of ${name}`,
    openCell: 'Open',
    openCellLabel: (name) => `Open ${name}`,
    openCellTitle: 'Open this cell as a new project',
    unreadable: 'This cell could not be read:',
    },
  ablate: {
    action: 'Ablations as new projects',
    actionHint: 'Greff et al. (2017): one project per variant (NIG, NFG, NOG, NIAF, NOAF, NP, CIFG, FGR); this one stays as it is',
    needsCompiled: 'Fix the problems first: ablations are made once the cell compiles.',
    needsStorage: 'Needs browser storage: each variant is saved as a project.',
    made: (count, name, variants) => `Made ${count} ${count === 1 ? 'ablation' : 'ablations'} of “${name}” as new projects${count > 0 ? `: ${variants}` : ''}.`,
    skipped: (_count, list) => `Skipped ${list}.`,
    none: (why) => `No ablation was made. ${why}`,
    },
  arena: {
    open: 'Compare cells (arena)…',
    openTitle: 'Train your projects and published cells on the same tasks and seeds, and see which wins beyond seed noise',
    title: 'Cell arena',
    intro: 'Every cell trains on every task with every seed: the same data order, initial seed and settings for all, so the cells differ only in their wiring. The runs go on in the background; finished runs are kept in this browser.',
    cells: 'Cells',
    projects: 'Your projects',
    noProjects: 'No saved projects yet.',
    zoo: 'Zoo (published cells)',
    tasks: 'Tasks',
    seeds: 'Seeds',
    steps: 'Steps per run',
    sizing: 'Size',
    sameHidden: 'Same hidden size H',
    matchParams: 'Match the parameter count N (±5%)',
    hidden: 'Hidden size H',
    params: 'Parameters N',
    baseline: 'Baseline',
    run: 'Run the arena',
    runTitle: 'Check the choices, then train every run not kept yet',
    stop: 'Stop',
    planning: 'Checking the cells…',
    progress: 'Arena progress',
    progressText: (done, total) => `${done} of ${total} runs finished`,
    refused: 'The arena cannot start:',
    nothingToRun: 'Every run of this study is already kept.',
    results: 'Results',
    noResults: 'No run of this study has finished yet.',
    rank: 'Rank',
    cell: 'Cell',
    parameters: 'Parameters',
    finalLoss: 'Final validation loss (mean ± 95% CI)',
    delta: 'Δ vs baseline',
    pT: 'p (paired t-test)',
    pWilcoxon: 'p (Wilcoxon signed-rank)',
    runs: 'Runs',
    timePerRun: 'Time per run',
    baselineMark: '(baseline)',
    tableNote: (seeds) => `Over ${seeds} ${seeds === 1 ? 'seed' : 'seeds'}. Δ: mean paired difference from the baseline over the seeds both finished (negative: lower loss). p: two-sided paired t-test and exact Wilcoxon signed-rank test.`,
    runsLeft: (left) => `${left} ${left === 1 ? 'run' : 'runs'} not finished yet.`,
    memoryless: (score, loss) => `${loss === 'mse' ? 'Mean squared error' : 'Cross-entropy (nats)'}; a model without memory scores ${score} on this task.`,
    failedRuns: 'Failed runs',
    failedRun: (cell, seed, why) => `${cell}, seed ${seed}: ${why}`,
    curvesTitle: (task, metric) => `${task}: ${metric} loss (mean and 95% CI over seeds)`,
    boxTitle: (task) => `${task}: final validation loss over seeds`,
    stepAxis: 'step',
    trainLossAxis: 'training loss',
    validLossAxis: 'validation loss',
    finalLossAxis: 'final validation loss',
    downloadCsv: 'Download the runs (CSV)',
    forget: 'Forget kept runs',
    forgetTitle: 'Delete every arena run kept in this browser (your projects stay)',
    kept: (runs) => `${runs} ${runs === 1 ? 'run' : 'runs'} of this study kept in this browser.`,
    workerFailed: (why) => `A training worker stopped: ${why}`,
    runFailed: (why) => `A run could not train: ${why}`,
  },
  backend: {
    choices: { auto: 'Automatic (fastest here)', webgpu: 'WebGPU (graphics card)', webgl2: 'WebGL2 (graphics card)', webasm: 'WebAssembly (processor)', reference: 'Reference (float64, slow)' },
    choiceTitle: 'Automatic takes WebGPU or WebGL2 on a real graphics card, else WebAssembly; a software graphics driver is slower than WebAssembly, so it is only used when you choose it.',
    names: { webgpu: 'WebGPU', webgl2: 'WebGL2', webasm: 'WebAssembly', cpu: 'gpu.js CPU mode', reference: 'the float64 reference' },
    trainingOn: (backend) => `Training on ${backend}`,
    skipped: {
      'not-available': (backend) => `${backend} is not available in this browser`,
      software: (backend, detail) => `${backend} runs in software here (${detail}), slower than WebAssembly`,
      'cannot-lay-out': (backend, detail) => `${backend} cannot lay out this cell: ${detail}`,
      failed: (backend, detail) => `${backend} could not compile or run this cell: ${detail}`,
    },
    cannotTrain: (why) => `${why}. Choose Automatic or another backend.`,
  },
};

const es: Strings = {
  lang: 'es',
  languageName: 'Español',
  language: 'Idioma',
  toolbar: 'Barra de herramientas',
  newCell: 'Nueva',
  newCellTitle: 'Empezar una celda nueva con una entrada, un estado oculto y una salida',
  newCellName: 'Celda nueva',
  newCellStateLabel: 'oculto',
  confirmDiscard: '¿Descartar los cambios de esta celda? (Descárgala antes para conservarlos.)',
  examples: 'Ejemplos',
  examplesTitle: 'Abrir una celda de ejemplo',
  exampleNames: { rnn: 'RNN de Elman', lstm: 'LSTM', gru: 'GRU (reinicio antes)', 'gru-reset-after': 'GRU (reinicio después, PyTorch/Keras)' },
  exampleBlurbs: {
    rnn: 'La celda recurrente simple',
    lstm: 'Memoria a corto y largo plazo, notación del tutorial',
    gru: 'Unidad recurrente con compuertas, como en el tutorial',
    'gru-reset-after': 'Como la calculan nn.GRU y Keras',
  },
  open: 'Abrir…',
  openTitle: 'Abrir un archivo de celda (.json) o de proyecto (.celda.json)',
  openFailed: (file) => `No se pudo abrir ${file}:`,
  fileTooLarge: (mb) => `El archivo pesa más de ${mb} MB.`,
  dismiss: 'Cerrar',
  canvasLabel: 'Lienzo de la celda',
  canvasFailed: (detail) => `El lienzo no pudo arrancar: ${detail}`,
  canvasSyncFailed: (detail) => `El lienzo no pudo mostrar esta celda: ${detail}`,
  exportMenu: 'Exportar',
  exportTitle: 'Descargar la celda, su diagrama o su código',
  downloadCell: 'Archivo de celda (.json)',
  diagramSvg: 'Diagrama (SVG)',
  diagramPng: 'Diagrama (PNG)',
  pytorch: 'Módulo PyTorch + pesos',
  tfjs: 'Módulo TF.js + pesos',
  needsCompiled: 'Corrige primero los problemas: el código se exporta cuando la celda compila.',
  exportFailed: 'La exportación falló.',
  undo: 'Deshacer',
  redo: 'Rehacer',
  arrange: 'Ordenar',
  arrangeTitle: 'Disponer el grafo de izquierda a derecha (L)',
  fit: 'Encuadrar',
  fitTitle: 'Ajustar el zoom a toda la celda (F)',
  canvasNotReady: 'El lienzo aún no está listo.',
  inputSize: 'Entrada',
  hiddenSize: 'Oculto',
  inputSizeTitle: 'Tamaño de x_t (el tamaño «entrada»)',
  hiddenSizeTitle: 'Tamaño del estado oculto (el tamaño «oculto»)',
  notation: 'Notación',
  notationNames: { tutorial: 'Tutorial (a_t, c_t)', olah: 'Olah (h_t, C_t)', pytorch: 'PyTorch (h_t, c_t)' },
  help: 'Atajos',
  helpTitle: 'Atajos de teclado (?)',
  paletteTitle: 'Nodos',
  search: 'Buscar nodos',
  paletteHint: 'Arrastra al lienzo o haz doble clic para añadir.',
  groups: {
    io: 'Entradas y estados',
    gates: 'Compuertas y activaciones',
    arithmetic: 'Aritmética',
    structure: 'Estructura',
    parameters: 'Parámetros',
    other: 'Otros',
  },
  noMatch: 'Ningún nodo coincide.',
  inspectorTitle: 'Inspector',
  cellTitle: 'Celda',
  name: 'Nombre',
  description: 'Descripción',
  sizes: 'Tamaños',
  namedSizes: 'Tamaños con nombre',
  learnedParameters: 'Parámetros aprendidos',
  total: 'Total',
  noLearnedParameters: 'Esta celda no aprende parámetros.',
  states: 'Estados',
  countsNeedCompile: 'Los recuentos de parámetros aparecen cuando la celda compila.',
  kind: 'Tipo',
  id: 'Id',
  label: 'Etiqueta',
  labelPlaceholder: 'p. ej. olvido',
  outputSize: 'Tamaño de salida',
  unknownSize: 'aún desconocido',
  settings: 'Ajustes',
  equation: 'Ecuación',
  equationGeneric: 'Forma general; conecta la celda para ver la ecuación de este nodo.',
  equationPartOf: 'Aparece dentro de:',
  about: 'Acerca de',
  deleteNodes: 'Eliminar',
  selectedMany: (n) => `${n} nodos seleccionados.`,
  unknownKind: (kind) => `Tipo de nodo desconocido "${kind}".`,
  nodeProblems: (n) => (n === 1 ? '1 problema' : `${n} problemas`),
  textTooLong: (max) => `Como mucho ${max} caracteres.`,
  noControlChars: 'Sin caracteres de control.',
  numberRange: (min, max) => `Un número de ${min} a ${max}.`,
  integerRange: (min, max) => `Un número entero de ${min} a ${max}.`,
  notASize: (detail) => `No es un tamaño: ${detail}.`,
  chooseOption: 'Elige una de las opciones.',
  problemsTitle: 'Problemas',
  noProblems: 'Sin problemas',
  error: 'Error',
  warning: 'Aviso',
  problemCounts: (e, w) => `${e} ${e === 1 ? 'error' : 'errores'}, ${w} ${w === 1 ? 'aviso' : 'avisos'}`,
  showNode: 'Mostrar el nodo',
  equationsTitle: 'Ecuaciones',
  notCompiledYet: 'La celda aún no compila: corrige los problemas para ver sus ecuaciones.',
  noEquations: 'Sin ecuaciones.',
  equationsList: 'Las ecuaciones de la celda, una por línea',
  copyText: 'Copiar como texto',
  copyLatex: 'Copiar LaTeX',
  copied: 'Copiado.',
  copyFailed: 'No se pudo copiar.',
  typesetting: 'Componiendo las ecuaciones…',
  typesetFailed: (reason) => `No se pudieron componer las ecuaciones: ${reason}`,
  equationsShown: (shown, total) => `${total} ecuaciones; se muestran las primeras ${shown}.`,
  showAllEquations: 'Mostrar todas',
  shortcutsTitle: 'Atajos de teclado',
  shortcutsNote: 'Los atajos no actúan mientras escribes en un campo.',
  close: 'Cerrar',
  shortcutNames: {
    undo: 'Deshacer',
    redo: 'Rehacer',
    delete: 'Eliminar los nodos seleccionados',
    copy: 'Copiar los nodos seleccionados',
    cut: 'Cortar los nodos seleccionados',
    paste: 'Pegar',
    duplicate: 'Duplicar los nodos seleccionados',
    selectAll: 'Seleccionar todo',
    deselect: 'Quitar la selección / cerrar esta ayuda',
    fit: 'Encuadrar todo',
    arrange: 'Ordenar automáticamente',
    save: 'Descargar el archivo de la celda',
    help: 'Mostrar esta ayuda',
  },
  keyNames: { delete: 'Supr', backspace: 'Retroceso', escape: 'Esc', shift: 'Mayús' },
  copiedNodes: (n) => (n === 1 ? 'Copiado 1 nodo.' : `Copiados ${n} nodos.`),
  pastedNodes: (n) => (n === 1 ? 'Pegado 1 nodo.' : `Pegados ${n} nodos.`),
  deletedNodes: (n) => (n === 1 ? 'Eliminado 1 nodo.' : `Eliminados ${n} nodos.`),
  projects: 'Proyectos',
  projectsTitle: 'Tus proyectos, guardados en este navegador',
  searchProjects: 'Buscar proyectos',
  noProjects: 'Ningún proyecto coincide.',
  newProject: 'Proyecto nuevo',
  openProject: 'Abrir este proyecto',
  rename: 'Renombrar',
  renamePrompt: 'Nuevo nombre del proyecto:',
  duplicate: 'Duplicar',
  copyOf: (name) => `${name} (copia)`,
  deleteProject: 'Eliminar',
  currentProject: 'abierto',
  changedAt: (when) => `cambiado ${when}`,
  projectDeleted: (name) => `Se eliminó el proyecto «${name}».`,
  undoDelete: 'Deshacer la eliminación',
  saved: 'Guardado',
  saving: 'Guardando…',
  notSaved: (reason) => `No guardado: ${reason}`,
  notStored: 'No se guarda en este navegador',
  conflictName: (name) => `${name} (conflicto)`,
  conflictKept: (name) => `Otra pestaña cambió este proyecto; tu versión se conservó como «${name}».`,
  reloadedFromOtherTab: 'Este proyecto cambió en otra pestaña; se muestra la versión nueva.',
  exportYourWork: 'Exportar tu trabajo',
  storageErrors: {
    quota: 'El navegador no tiene más espacio para Celda (cuota de almacenamiento superada) y no se guardó nada. Tu trabajo sigue abierto: expórtalo a un archivo o libera espacio eliminando proyectos antiguos.',
    blocked: 'Otra pestaña ejecuta una versión anterior de Celda y bloquea la actualización de su almacenamiento. Cierra o recarga las otras pestañas de Celda; tu trabajo aquí se conserva.',
    version: 'Este navegador guarda datos de una versión más nueva de Celda. Recarga la página para obtenerla; no se cambió nada.',
    unavailable: 'Este navegador no deja a Celda guardar nada (IndexedDB no está disponible, como en algunas ventanas privadas). Tu trabajo sigue abierto en esta pestaña pero no se conservará: expórtalo a un archivo.',
    closed: 'Se cerró la conexión con el almacenamiento del navegador (otra pestaña pudo actualizar Celda o se borraron los datos del sitio). Exporta tu trabajo y recarga la página.',
  },
  projectFile: 'Proyecto (.celda.json)',
  backupAll: 'Copia de seguridad de todo',
  restoreBackup: 'Restaurar una copia de seguridad',
  confirmRestore: '¿Reemplazar todos los proyectos de este navegador por la copia de seguridad? Los proyectos que no estén en ella se perderán.',
  restored: (n) => (n === 1 ? 'Se restauró 1 proyecto de la copia de seguridad.' : `Se restauraron ${n} proyectos de la copia de seguridad.`),
  restoreFailed: 'No se restauró la copia de seguridad; no se cambió nada.',
  usage: (used, quota) => `${used} usados de ${quota}`,
  persistent: 'el navegador lo conserva',
  dropHint: 'Suelta un archivo de celda (.json) o de proyecto (.celda.json) para abrirlo',
  safeStartUnfinished: (project) => `Celda no terminó de abrir «${project}» la última vez, así que abrió la lista de proyectos en su lugar. Vuelve a abrirlo o expórtalo.`,
  safeStartAsked: (project) => `Arranque seguro (?safe en la dirección): está abierta la lista de proyectos en lugar de tu último proyecto, «${project}». Ábrelo o expórtalo.`,
  openLastProject: 'Abrirlo',
  exportLastProject: 'Exportarlo',
  welcome: {
    title: 'Te damos la bienvenida a Celda',
    text: 'Esta LSTM está lista para entrenar: cada caja es una operación, los cables llevan vectores y las ecuaciones de abajo se leen del cableado.',
    examples: 'Ejemplos:',
    blank: 'Empezar en blanco',
    blankTitle: 'Una celda nueva con una entrada, un estado oculto y una salida, para cablearla tú',
    lesson: 'Empezar una lección',
    dismiss: 'Cerrar',
  },
  training: {
    notInVocabulary: (char, position) => `El carácter ${JSON.stringify(char)} (posición ${position + 1}) no está en el vocabulario del modelo.`,
    open: 'Entrenar',
    openTitle: 'Entrenar esta celda en una tarea (en un proceso aparte: el lienzo sigue respondiendo)',
    title: 'Entrenamiento',
    close: 'Cerrar',
    task: 'Tarea',
    taskNames: { charlm: 'Siguiente carácter (corpus en español)', adding: 'Problema de la suma', copy: 'Memoria de copia', order: 'Orden temporal', sine: 'Senos con ruido (pronóstico)', 'spell-number': 'Escribir un número en letras', dinosaurs: 'Nombres de dinosaurios' },
    steps: 'Pasos',
    batch: 'Lote',
    length: 'Longitud de secuencia',
    lr: 'Tasa de aprendizaje',
    clip: 'Recorte del gradiente (norma máxima; 0: sin recorte)',
    seed: 'Semilla',
    backend: 'Motor',
    start: 'Empezar',
    stop: 'Detener',
    fixProblems: 'Corrige primero los problemas de la celda: solo una celda que compila puede entrenar.',
    progress: (step, total) => `paso ${step} de ${total}`,
    speed: (sps, eta) => `${sps} pasos/s, faltan ${eta}`,
    loss: 'Pérdida de entrenamiento',
    validation: (loss) => `Pérdida de validación: ${loss}`,
    failed: (message) => `El entrenamiento falló: ${message}`,
    runs: 'Entrenamientos de este proyecto',
    noRuns: 'Todavía no hay entrenamientos.',
    statusNames: { queued: 'en cola', running: 'en curso', done: 'terminado', stopped: 'detenido', failed: 'fallido' },
    keyboard: 'Teclado: el siguiente carácter',
    prefix: 'Escribe un comienzo',
    temperature: (t) => `Temperatura ${t} (baja: apuestas seguras; alta: atrevidas)`,
    inside: 'Dentro de la celda: cada compuerta en el tiempo',
    insideText: 'Texto sobre el que correr la celda',
    scrubber: (step, steps) => `Paso ${step} de ${steps}`,
    saturated: (p) => `${p}% saturada`,
    gradientFlow: 'Flujo del gradiente: hasta dónde llega el error',
    gradientFlowHelp: (n) => `El problema de la suma: ${n} pasos, la pérdida solo en el último. Cada curva es el tamaño del gradiente ‖∂L/∂a_t‖ que llega al estado oculto a_t de un paso anterior (escala logarítmica, semilla 1, los mismos datos para todas las celdas): cuanto más cae hacia t = 0, menos pueden aprender los primeros pasos.`,
    thisCell: 'Esta celda',
    run: 'Entrenamiento',
    statusTitle: 'Estado',
    validationTitle: 'Validación',
    parameters: 'Parámetros',
    compare: (run) => `Mostrar ${run} en el gráfico`,
    text: 'Tu texto (pégalo o abre un .txt; vacío: el corpus en español incluido)',
    textPlaceholder: 'Al menos 200 caracteres…',
    gradNorm: 'Norma del gradiente',
    natsAndBits: (nats, bits) => `${nats} nats = ${bits} bits/carácter`,
    resume: 'Reanudar',
    divergedLoss: (step) => `El entrenamiento se detuvo en el paso ${step}: la pérdida se volvió NaN o infinita. Se conservan los últimos parámetros buenos: baja la tasa de aprendizaje o el recorte y reanuda.`,
    divergedGradient: (step, tensor) => `El entrenamiento se detuvo en el paso ${step}: el gradiente de ${tensor} se volvió NaN o infinito. Se conservan los últimos parámetros buenos: baja la tasa de aprendizaje o el recorte y reanuda.`,
    divergedAt: (step) => `NaN o ∞ en el paso ${step}`,
    resumeWith: (lr, clip) => `Reanudar con tasa de aprendizaje ${lr}, recorte ${clip}`,
    cellChanged: 'La celda cambió desde este entrenamiento: solo se reanuda sobre la celda que entrenó.',
    noCheckpoint: 'Este entrenamiento no guardó un punto de control desde el que reanudar.',
    textNotKept: 'Este entrenamiento usó un texto demasiado largo para guardarlo con él, así que no puede reanudarse: empieza uno nuevo.',
    insideExample: 'La primera secuencia de validación de la tarea, paso a paso.',
    histogram: 'Cómo se reparten los valores en el rango de la compuerta',
    views: 'Vistas del entrenamiento',
    tabs: { train: 'Ajustes y pérdida', flow: 'Flujo del gradiente', inside: 'Dentro de la celda', runs: 'Entrenamientos' },
    resize: 'Alto del panel de entrenamiento (arrastra o usa las flechas)',
    textNotSaved: 'Este texto tiene más de 10 000 caracteres (o caracteres de control): no se guarda con el proyecto. Vuelve a abrir el archivo después de recargar.',
    openTextFile: 'Abrir un archivo .txt…',
    lossChart: 'Curva de pérdida: pérdida de entrenamiento, de validación y norma del gradiente por paso',
    runsChart: 'Pérdida de entrenamiento de los entrenamientos elegidos por paso',
    liveFill: 'Mientras la celda entrena, cada compuerta del lienzo se llena con su activación media sobre una secuencia corta (σ: 0 … 1, tanh: −1 … 1), varias veces por segundo.',
    insideWaiting: 'Esperando los primeros parámetros del entrenamiento…',
    insideNone: 'Entrena la celda para ver dentro: aquí aparecen sus compuertas, que siguen al entrenamiento mientras avanza.',
    insideLive: (step) => `Siguiendo el entrenamiento: los parámetros del paso ${step}.`,
    insideTrained: (step) => `La celda entrenada, tras el paso ${step}.`,
    colourScale: 'Color: el valor de cada unidad (una fila) en cada paso de tiempo (una columna).',
    sigmoidScale: 'Compuertas σ: 0 (blanco) … 1 (azul)',
    tanhScale: 'tanh: −1 (rojo) … 0 (blanco) … 1 (azul)',
    saturationHelp: 'Saturada: σ por debajo de 0,05 o por encima de 0,95, |tanh| por encima de 0,95. Ahí la compuerta está atascada en un extremo y apenas deja pasar gradiente (σ′ < 0,05, tanh′ < 0,1).',
    stepAxis: 'paso de entrenamiento',
    lossAxis: 'pérdida',
    timeAxis: 'paso de tiempo t',
    flowAxis: '‖∂L/∂a_t‖ (escala logarítmica)',
    atStep: (step) => `En el paso ${step}`,
    latestStep: (step) => `Último, paso ${step}`,
    noStepsYet: 'Aún no hay pasos',
    finalLosses: 'Al final de cada entrenamiento',
    atTime: (t) => `En el paso de tiempo t = ${t}`,
    pointAtChart: 'Señala el gráfico para leer los valores en un paso de tiempo.',
    measureStudy: (steps) => `Medir antes y después de entrenar (${steps} pasos por celda)`,
    flowProgress: (cell, index, cells, step, steps) => `Entrenando ${cell} (${index} de ${cells}): paso ${step} de ${steps}`,
    flowStopped: 'Detenido: solo se muestran las curvas antes de entrenar (una celda detenida a medias no está entrenada como diría el gráfico).',
    flowFailed: (message) => `El estudio falló: ${message}`,
    flowWhen: 'Curvas que mostrar',
    before: 'Antes de entrenar',
    after: (steps) => `Después de entrenar (${steps} pasos)`,
    flowHolds: (gated, kept, elman, factor) => `Tras entrenar, la ${gated} conserva ${kept} del gradiente hasta a_0, y la celda de Elman, ${elman}: ${factor} veces más. En esta ejecución se cumple lo que dice el tutorial.`,
    flowFails: (gated, kept, elman, factor) => `En esta ejecución la afirmación no se cumple: tras entrenar, la ${gated} conserva ${kept} del gradiente hasta a_0 y la celda de Elman, ${elman}; solo ${factor} veces más (lo que dice el tutorial pide al menos 100 veces más).`,
    beforeExplained: 'Antes de entrenar las compuertas ya son distintas. El sesgo de olvido de la LSTM empieza en 1, así que f ≈ σ(1) ≈ 0,73 conserva la memoria desde el primer paso; la compuerta de actualización de la GRU empieza en σ(0) = 0,5, así que su camino directo reduce a la mitad el gradiente en cada paso; la celda de Elman lo multiplica por W y tanh′ en cada paso. Entrenar abre las compuertas: compáralo con las curvas después de entrenar.',
    thisCellIs: (example) => `Esta celda (= ${example})`,
    ownTwin: (example) => `Esta celda es el ejemplo ${example}: se mide una vez, y su curva ancha va sobre la de ${example}.`,
    ownNotCompiled: 'Esta celda no se mide: no compila con la entrada del problema de la suma (2 números por paso) y 16 unidades ocultas.',
    ownNoState: 'Esta celda no se mide: no tiene estado, así que ningún gradiente fluye hacia atrás en el tiempo.',
    flowCell: 'Celda',
    keptBefore: 'conservado hasta a₀, antes',
    keptAfter: 'conservado hasta a₀, después',
    lossAfter: 'pérdida de validación después (sin memoria: 0,167)',
    keptHelp: 'Conservado hasta a₀: ‖∂L/∂a₀‖ entre ‖∂L/∂a_{T−2}‖, el gradiente que llega al primer paso entre el del último (1: no se pierde nada por el camino).',
  },
  offline: {
    ready: 'Listo para trabajar sin conexión',
    updateReady: 'Hay una nueva versión de Celda lista',
    updatedElsewhere: 'Celda se actualizó en otra pestaña. Recarga esta cuando su trabajo esté guardado (un entrenamiento aquí se detendría).',
    reload: 'Recargar',
    reloadTitle: 'Recargar la página con la nueva versión',
    later: 'Más tarde',
    laterTitle: 'Seguir con esta versión: la nueva empieza cuando se cierren todas las pestañas de Celda',
    registerFailed: (detail) => `Celda no se puede guardar para usar sin conexión en este navegador: ${detail}`,
    storeFailed: 'Celda no se pudo guardar para usar sin conexión (el navegador no guardó sus archivos): sigue funcionando con conexión.',
  },
  tasks: {
    blurbs: {
      charlm: 'Lee un texto carácter a carácter y adivina el siguiente (el teclado del tutorial).',
      adding: 'Muchos a uno: suma los dos números marcados de una secuencia larga.',
      copy: 'Recuerda diez símbolos durante una larga pausa y después los repite.',
      order: 'Muchos a uno: di en qué orden llegaron dos símbolos escondidos entre distractores.',
      sine: 'Predice el siguiente valor de una mezcla de senos con ruido.',
      'spell-number': 'Uno a muchos: lee un número una vez y lo escribe en letras, letra a letra (42 → cuarenta y dos).',
      dinosaurs: 'Aprende nombres reales de dinosaurios letra a letra y después inventa otros nuevos.',
    },
    spellTitle: 'Escribir un número',
    spellNumber: 'Número (de 0 a 999)',
    spellBadNumber: 'Escribe un número entero de 0 a 999.',
    spellRight: 'Correcto.',
    spellWrong: (right) => `No del todo: se escribe «${right}».`,
    spellNoEnd: 'El modelo no escribió su marca de final: habría seguido.',
    spellHeldOut: 'Reservado: el modelo no vio este número al entrenar.',
    spellSeen: 'El modelo vio este número al entrenar.',
    namesTitle: 'Nombres nuevos de dinosaurios',
    namesMore: 'Otros nombres',
    namesReal: 'un género real',
    namesNote: 'Cada nombre se muestrea letra a letra (temperatura 0,8) hasta que el modelo lo termina; «un género real» marca los de la lista de la que aprendió.',
  },
  share: {
    open: 'Compartir (enlace, código QR)…',
    openTitle: 'Un enlace que abre una copia de esta celda, y su código QR para un proyector',
    title: 'Compartir esta celda',
    intro: 'Quien abra este enlace recibe su propia copia de la celda como un proyecto nuevo. No se sube nada: la celda viaja dentro del enlace.',
    making: 'Creando el enlace…',
    link: 'Enlace',
    copy: 'Copiar enlace',
    copied: 'Copiado',
    copyFailed: 'No se pudo copiar: selecciona el enlace y cópialo con Ctrl+C.',
    showQr: 'Mostrar código QR',
    hideQr: 'Ocultar código QR',
    qrLabel: 'Código QR del enlace',
    qrTooLong: (chars, max) => `El enlace tiene ${chars.toLocaleString('es')} caracteres, más de los que caben en un código QR (${max.toLocaleString('es')}): copia el enlace.`,
    tooLong: (chars, max) => `Esta celda da un enlace de ${chars.toLocaleString('es')} caracteres; los enlaces tienen un límite de ${max.toLocaleString('es')}. Compártela como archivo:`,
    makeFailed: (detail) => `No se pudo crear el enlace: ${detail}`,
    sharedLink: 'el enlace compartido',
    sharedCellName: 'Celda compartida',
  },
  presenter: {
    present: 'Presentar',
    presentTitle: 'Vista para proyector: texto grande, paneles laterales ocultos y un paso de tiempo nodo a nodo (Escape para salir)',
    bar: 'Vista de presentación',
    previous: 'Anterior',
    next: 'Siguiente',
    play: 'Reproducir',
    pause: 'Pausa',
    reset: 'Reiniciar',
    intro: (step) => `Un paso de tiempo por la celda, nodo a nodo: el paso t = ${step} de una entrada de ejemplo, con pesos iniciales sembrados. Teclas: → siguiente, ← anterior, Espacio reproducir, Inicio reiniciar, Esc salir.`,
    notCompiled: 'La celda aún no compila: corrige sus problemas para reproducir un paso de tiempo.',
    progress: (shown, total) => `Nodo ${shown} de ${total}`,
    stateValue: 'su valor del paso anterior',
    inputValue: 'la entrada en este paso',
    outputValue: 'la salida de la celda en este paso',
  },
  workshop: {
    export: 'Exportar un paquete de taller…',
    exportTitle: 'Paquete de taller',
    exportIntro: 'Un archivo con las lecciones y celdas que elijas. Quien aprende lo abre con Abrir (o lo suelta en la página): se comprueba entero y luego sus celdas pasan a ser proyectos y sus lecciones se suman a esta lista.',
    packTitle: 'Título del paquete',
    lessons: 'Lecciones',
    cells: 'Celdas (proyectos guardados)',
    noProjects: 'Aún no hay proyectos guardados.',
    needTitle: 'Ponle un título al paquete.',
    needContent: 'Elige al menos una lección o una celda.',
    download: 'Descargar el paquete',
    cancel: 'Cancelar',
    fromPack: (title) => `Del paquete «${title}»`,
    remove: 'Quitar',
    opened: (title, lessons, cells) => `Se abrió el paquete de taller «${title}»: ${lessons} ${lessons === 1 ? 'lección' : 'lecciones'}, ${cells} ${cells === 1 ? 'celda' : 'celdas'}.`,
  },
  lessons: {
    open: 'Lecciones',
    openTitle: 'El tutorial de RNN paso a paso, comprobando cada paso',
    title: 'Lecciones',
    close: 'Cerrar las lecciones',
    intro: 'Cada lección abre su celda inicial como un proyecto nuevo; tus otros proyectos quedan como están.',
    notStarted: 'Sin empezar',
    completed: 'Completada',
    start: 'Empezar',
    resume: 'Continuar',
    restart: 'Volver a empezar',
    restartTitle: 'Abrir otra vez la celda inicial, como un proyecto nuevo, y volver al primer paso',
    allLessons: 'Todas las lecciones',
    goal: 'Objetivo',
    step: (step, steps) => `Paso ${step} de ${steps}`,
    check: 'Comprobar',
    checkTitle: 'Comparar la celda del lienzo con lo que pide este paso',
    done: 'Hecho',
    doneTitle: 'Este paso consiste en observar: sigue cuando lo hayas visto',
    correct: '¡Correcto!',
    nextStep: 'Siguiente paso',
    finish: 'Terminar la lección',
    finished: 'Lección completada. ¡Bien hecho!',
    notYet: 'Todavía no:',
    doesNotCompile: 'Tu celda todavía no compila:',
    showNode: 'Mostrar el nodo',
    showHint: 'Ver una pista',
    hint: (index, hints) => `Pista ${index} de ${hints}`,
    projectName: (title) => `Lección: ${title}`,
    kept: 'Tu progreso se guarda en este navegador.',
  },
  zoo: {
    open: 'Zoo de celdas publicadas…',
    openTitle: 'Celdas de la literatura, con su cita y sus ecuaciones',
    title: 'Zoo de celdas publicadas',
    intro: 'Celdas recurrentes publicadas, conectadas con los mismos nodos que las tuyas. Abre una como proyecto nuevo: tus proyectos quedan como están.',
    search: 'Buscar en el zoo por nombre',
    loading: 'Cargando el zoo…',
    loadFailed: (detail) => `No se pudo cargar el zoo: ${detail}`,
    shown: (shown, total) => `${shown} de ${total} celdas`,
    noMatch: 'Ninguna celda lleva eso en su nombre.',
    groups: { classics: 'Clásicas', 'lstm-family': 'Familia LSTM', 'gru-family': 'Familia GRU', 'minimal-gated': 'Unidades con compuertas mínimas', other: 'Otras' },
    names: {
      elman: 'RNN de Elman',
      'lstm-1997': 'LSTM sin compuerta de olvido',
      'lstm-peephole': 'LSTM básica con mirillas (peepholes)',
      gru: 'GRU (reinicio antes)',
      'gru-reset-after': 'GRU (reinicio después, cuDNN)',
      'lstm-nig': 'LSTM, sin compuerta de entrada (NIG)',
      'lstm-nfg': 'LSTM, sin compuerta de olvido (NFG)',
      'lstm-nog': 'LSTM, sin compuerta de salida (NOG)',
      'lstm-niaf': 'LSTM, sin activación de entrada (NIAF)',
      'lstm-noaf': 'LSTM, sin activación de salida (NOAF)',
      'lstm-np': 'LSTM, sin mirillas (NP)',
      'lstm-cifg': 'LSTM, compuertas de entrada y olvido acopladas (CIFG)',
      'lstm-fgr': 'LSTM, recurrencia completa de las compuertas (FGR)',
      'layernorm-lstm': 'LSTM con normalización de capa',
      'li-gru': 'GRU ligera (Li-GRU)',
      mut1: 'MUT1',
      mut2: 'MUT2',
      mut3: 'MUT3',
      mgu: 'Unidad con compuerta mínima (MGU)',
      janet: 'JANET (solo compuerta de olvido)',
      ugrnn: 'RNN con compuerta de actualización (UGRNN)',
      'minimal-rnn': 'MinimalRNN',
      cfn: 'Red sin caos (CFN)',
      indrnn: 'Red de recurrencia independiente (IndRNN)',
      sru: 'Unidad recurrente simple (SRU)',
      ran: 'Red recurrente aditiva (RAN)',
      scrn: 'RNN con restricciones estructurales (SCRN)',
    },
    sizes: (input, hidden) => `entrada ${input}, oculto ${hidden}`,
    parameters: (count, sizes) => `${count} parámetros aprendidos (${sizes})`,
    equations: (name) => `Ecuaciones de ${name}`,
    openCell: 'Abrir',
    openCellLabel: (name) => `Abrir ${name}`,
    openCellTitle: 'Abrir esta celda como proyecto nuevo',
    unreadable: 'No se pudo leer esta celda:',
    },
  ablate: {
    action: 'Ablaciones como proyectos nuevos',
    actionHint: 'Greff et al. (2017): un proyecto por variante (NIG, NFG, NOG, NIAF, NOAF, NP, CIFG, FGR); este queda como está',
    needsCompiled: 'Corrige primero los problemas: las ablaciones se hacen cuando la celda compila.',
    needsStorage: 'Necesita el almacenamiento del navegador: cada variante se guarda como un proyecto.',
    made: (count, name, variants) => `Se ${count === 1 ? 'hizo' : 'hicieron'} ${count} ${count === 1 ? 'ablación' : 'ablaciones'} de «${name}» como proyectos nuevos${count > 0 ? `: ${variants}` : ''}.`,
    skipped: (count, list) => `${count === 1 ? 'Se omitió' : 'Se omitieron'} ${list}.`,
    none: (why) => `No se hizo ninguna ablación. ${why}`,
    },
  arena: {
    open: 'Comparar celdas (arena)…',
    openTitle: 'Entrenar tus proyectos y celdas publicadas con las mismas tareas y semillas, y ver cuál gana más allá del ruido de la semilla',
    title: 'Arena de celdas',
    intro: 'Cada celda se entrena en cada tarea con cada semilla: el mismo orden de datos, la misma semilla inicial y los mismos ajustes para todas, así que las celdas solo difieren en su cableado. Las ejecuciones siguen en segundo plano; las terminadas se guardan en este navegador.',
    cells: 'Celdas',
    projects: 'Tus proyectos',
    noProjects: 'Todavía no hay proyectos guardados.',
    zoo: 'Zoo (celdas publicadas)',
    tasks: 'Tareas',
    seeds: 'Semillas',
    steps: 'Pasos por ejecución',
    sizing: 'Tamaño',
    sameHidden: 'El mismo tamaño oculto H',
    matchParams: 'Igualar el número de parámetros N (±5%)',
    hidden: 'Tamaño oculto H',
    params: 'Parámetros N',
    baseline: 'Referencia',
    run: 'Ejecutar la arena',
    runTitle: 'Comprobar lo elegido y entrenar cada ejecución que no esté guardada',
    stop: 'Detener',
    planning: 'Comprobando las celdas…',
    progress: 'Progreso de la arena',
    progressText: (done, total) => `${done} de ${total} ejecuciones terminadas`,
    refused: 'La arena no puede empezar:',
    nothingToRun: 'Todas las ejecuciones de este estudio ya están guardadas.',
    results: 'Resultados',
    noResults: 'Todavía no ha terminado ninguna ejecución de este estudio.',
    rank: 'Puesto',
    cell: 'Celda',
    parameters: 'Parámetros',
    finalLoss: 'Pérdida final de validación (media ± IC 95%)',
    delta: 'Δ frente a la referencia',
    pT: 'p (prueba t pareada)',
    pWilcoxon: 'p (rangos con signo de Wilcoxon)',
    runs: 'Ejecuciones',
    timePerRun: 'Tiempo por ejecución',
    baselineMark: '(referencia)',
    tableNote: (seeds) => `Sobre ${seeds} ${seeds === 1 ? 'semilla' : 'semillas'}. Δ: diferencia media pareada con la referencia en las semillas que ambas terminaron (negativa: menor pérdida). p: prueba t pareada bilateral y prueba exacta de rangos con signo de Wilcoxon.`,
    runsLeft: (left) => `${left} ${left === 1 ? 'ejecución' : 'ejecuciones'} sin terminar todavía.`,
    memoryless: (score, loss) => `${loss === 'mse' ? 'Error cuadrático medio' : 'Entropía cruzada (nats)'}; un modelo sin memoria obtiene ${score} en esta tarea.`,
    failedRuns: 'Ejecuciones fallidas',
    failedRun: (cell, seed, why) => `${cell}, semilla ${seed}: ${why}`,
    curvesTitle: (task, metric) => `${task}: pérdida de ${metric === 'training' ? 'entrenamiento' : 'validación'} (media e IC 95% sobre las semillas)`,
    boxTitle: (task) => `${task}: pérdida final de validación sobre las semillas`,
    stepAxis: 'paso',
    trainLossAxis: 'pérdida de entrenamiento',
    validLossAxis: 'pérdida de validación',
    finalLossAxis: 'pérdida final de validación',
    downloadCsv: 'Descargar las ejecuciones (CSV)',
    forget: 'Olvidar las ejecuciones guardadas',
    forgetTitle: 'Borrar todas las ejecuciones de la arena guardadas en este navegador (tus proyectos se quedan)',
    kept: (runs) => `${runs} ${runs === 1 ? 'ejecución' : 'ejecuciones'} de este estudio guardadas en este navegador.`,
    workerFailed: (why) => `Un proceso de entrenamiento se detuvo: ${why}`,
    runFailed: (why) => `Una ejecución no pudo entrenar: ${why}`,
  },
  backend: {
    choices: { auto: 'Automático (el más rápido aquí)', webgpu: 'WebGPU (tarjeta gráfica)', webgl2: 'WebGL2 (tarjeta gráfica)', webasm: 'WebAssembly (procesador)', reference: 'Referencia (float64, lenta)' },
    choiceTitle: 'Automático usa WebGPU o WebGL2 en una tarjeta gráfica real y, si no, WebAssembly; un controlador gráfico por software es más lento que WebAssembly, así que solo se usa si lo eliges.',
    names: { webgpu: 'WebGPU', webgl2: 'WebGL2', webasm: 'WebAssembly', cpu: 'el modo CPU de gpu.js', reference: 'la referencia float64' },
    trainingOn: (backend) => `Entrenando con ${backend}`,
    skipped: {
      'not-available': (backend) => `${backend} no está disponible en este navegador`,
      software: (backend, detail) => `${backend} funciona por software aquí (${detail}), más lento que WebAssembly`,
      'cannot-lay-out': (backend, detail) => `${backend} no puede organizar esta celda: ${detail}`,
      failed: (backend, detail) => `${backend} no pudo compilar o ejecutar esta celda: ${detail}`,
    },
    cannotTrain: (why) => `${why}. Elige Automático u otro motor.`,
  },
};

export const STRINGS: Readonly<Record<Lang, Strings>> = { en, es };
