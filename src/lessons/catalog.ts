/**
 * The built-in lessons, in the tutorial's order (docs: ../shared/reference, the
 * Spanish RNN tutorial): recurrence, the three task shapes, short memory, the
 * LSTM gate by gate, the GRU, and a gate of one's own. The texts are ours, in
 * English and Spanish; the notation is the tutorial's (a_t, x_t, y_t, Γ-style
 * gate names f, u, o; z, r for the GRU). Each lesson is plain data, as a
 * workshop pack would carry it; tests/lessons checks every one loads through
 * loadLesson and that its steps lead to the matching example cell.
 */
import type { Cell } from '../model/cell';
import { grow, lessonCell, renamed } from './cells';
import type { Lesson, LessonStep, Text } from './types';

const done = (instruction: Text, hints: readonly Text[] = []): LessonStep => ({ instruction, hints, check: { kind: 'done' } });
const match = (target: Cell, instruction: Text, hints: readonly Text[]): LessonStep => ({ instruction, hints, check: { kind: 'match', target } });

// ---------------------------------------------------------------------------
// Cells
// ---------------------------------------------------------------------------

/** The input, the hidden state and the output, nothing wired: where the recurrence lesson starts. */
const bare = lessonCell('Recurrence', 'An input x_t, a hidden state a_t and an output y_t: wire the recurrence between them.', [
  { id: 'x', kind: 'input', at: [0, 240] },
  { id: 'a', kind: 'state', label: 'hidden', at: [0, 0] },
  { id: 'y', kind: 'output', at: [900, 120] },
], []);

/** a_t = tanh(W_ax x_t + b_a): a neuron that writes its state and never reads it back. */
const neuron = renamed(grow(bare, [
  { id: 'lin', kind: 'linear', at: [450, 120] },
  { id: 'act', kind: 'tanh', at: [675, 120] },
], ['x -> lin.in', 'lin -> act.in', 'act -> a.next', 'act -> y.y']), 'A neuron without memory', 'a_t = tanh(W_ax x_t + b_a): the state is written but never read.');

/** The Elman cell: a_t = tanh(W_aa a_{t−1} + W_ax x_t + b_a) (examples/rnn.json). */
const elman = renamed(grow(neuron, [{ id: 'cat', kind: 'concat', at: [225, 120] }], ['a -> cat.in0', 'x -> cat.in1', 'cat -> lin.in']),
  'Elman RNN', 'a_t = tanh(W_aa a_{t−1} + W_ax x_t + b_a), y_t = a_t.');

const ELMAN_ES = { es: { a: 'oculto' } };

/** A memory c_t that only adds: c_t = c_{t−1} + c'_t, a_t = tanh(c_t). The LSTM lesson grows gates on it. */
const accumulator = lessonCell('LSTM, gate by gate', "An Elman-like cell with a memory c_t that only adds: c_t = c_{t−1} + c'_t, a_t = tanh(c_t).", [
  { id: 'x', kind: 'input', at: [0, 320] },
  { id: 'a', kind: 'state', label: 'hidden', at: [0, 160] },
  { id: 'c', kind: 'state', label: 'cell', at: [0, 0] },
  { id: 'cat', kind: 'concat', at: [200, 240] },
  { id: 'Wcc', kind: 'linear', at: [400, 320] },
  { id: 'cc', kind: 'tanh', label: 'candidate', at: [600, 320] },
  { id: 'c_new', kind: 'add', at: [1000, 100] },
  { id: 'squash', kind: 'tanh', at: [1200, 200] },
  { id: 'y', kind: 'output', at: [1600, 300] },
], [
  'a -> cat.in0', 'x -> cat.in1', 'cat -> Wcc.in', 'Wcc -> cc.in', 'c -> c_new.a', 'cc -> c_new.b',
  'c_new -> c.next', 'c_new -> squash.in', 'squash -> a.next', 'squash -> y.y',
]);

const withForget = renamed(grow(accumulator, [
  { id: 'Wf', kind: 'linear', params: { biasInit: 1 }, at: [400, 80] },
  { id: 'f', kind: 'sigmoid', label: 'forget', at: [600, 80] },
  { id: 'keep', kind: 'multiply', at: [800, 0] },
], ['cat -> Wf.in', 'Wf -> f.in', 'f -> keep.a', 'c -> keep.b', 'keep -> c_new.a']), 'With a forget gate', "c_t = f_t ⊙ c_{t−1} + c'_t");

const withUpdate = renamed(grow(withForget, [
  { id: 'Wu', kind: 'linear', at: [400, 200] },
  { id: 'u', kind: 'sigmoid', label: 'update', at: [600, 200] },
  { id: 'write', kind: 'multiply', at: [800, 200] },
], ['cat -> Wu.in', 'Wu -> u.in', 'u -> write.a', 'cc -> write.b', 'write -> c_new.b']), 'With forget and update gates', "c_t = f_t ⊙ c_{t−1} + u_t ⊙ c'_t");

/** The whole LSTM (examples/lstm.json). */
const lstm = renamed(grow(withUpdate, [
  { id: 'Wo', kind: 'linear', at: [400, 440] },
  { id: 'o', kind: 'sigmoid', label: 'output', at: [600, 440] },
  { id: 'a_new', kind: 'multiply', at: [1400, 300] },
], ['cat -> Wo.in', 'Wo -> o.in', 'o -> a_new.a', 'squash -> a_new.b', 'a_new -> a.next', 'a_new -> y.y']), 'LSTM', 'a_t = o_t ⊙ tanh(c_t)');

/** An Elman cell whose new state is called the candidate: the GRU lesson gates it. */
const gruStart = lessonCell('GRU', "An Elman cell: h_t = h'_t = tanh(W_h [h_{t−1}, x_t] + b_h).", [
  { id: 'x', kind: 'input', at: [0, 300] },
  { id: 'h', kind: 'state', label: 'hidden', at: [0, 0] },
  { id: 'cat', kind: 'concat', at: [200, 150] },
  { id: 'Wh', kind: 'linear', at: [1200, 300] },
  { id: 'cand', kind: 'tanh', label: 'candidate', at: [1400, 300] },
  { id: 'y', kind: 'output', at: [2000, 100] },
], ['h -> cat.in0', 'x -> cat.in1', 'cat -> Wh.in', 'Wh -> cand.in', 'cand -> h.next', 'cand -> y.y']);

const withUpdateGate = renamed(grow(gruStart, [
  { id: 'Wz', kind: 'linear', at: [400, 50] },
  { id: 'z', kind: 'sigmoid', label: 'update', at: [600, 50] },
  { id: 'flip', kind: 'one-minus', at: [800, 100] },
  { id: 'keep', kind: 'multiply', at: [1400, 0] },
  { id: 'mix', kind: 'multiply', at: [1600, 200] },
  { id: 'h_new', kind: 'add', at: [1800, 100] },
], [
  'cat -> Wz.in', 'Wz -> z.in', 'z -> keep.a', 'h -> keep.b', 'z -> flip.in', 'flip -> mix.a', 'cand -> mix.b',
  'keep -> h_new.a', 'mix -> h_new.b', 'h_new -> h.next', 'h_new -> y.y',
]), 'With an update gate', "h_t = z_t ⊙ h_{t−1} + (1 − z_t) ⊙ h'_t");

/** The whole GRU, reset before the product (examples/gru.json). */
const gru = renamed(grow(withUpdateGate, [
  { id: 'Wr', kind: 'linear', at: [400, 200] },
  { id: 'r', kind: 'sigmoid', label: 'reset', at: [600, 200] },
  { id: 'reset', kind: 'multiply', at: [800, 250] },
  { id: 'cat2', kind: 'concat', at: [1000, 300] },
], ['cat -> Wr.in', 'Wr -> r.in', 'r -> reset.a', 'h -> reset.b', 'reset -> cat2.in0', 'x -> cat2.in1', 'cat2 -> Wh.in']),
'GRU', "h'_t = tanh(W_h [r_t ⊙ h_{t−1}, x_t] + b_h)");

// ---------------------------------------------------------------------------
// Lessons
// ---------------------------------------------------------------------------

const recurrence: Lesson = {
  id: 'recurrence',
  title: { en: 'Recurrence: the Elman cell', es: 'Recurrencia: la celda de Elman' },
  goal: {
    en: 'Wire a_t = tanh(W_aa a_{t−1} + W_ax x_t + b_a) and watch the activation carry the past from one time step to the next.',
    es: 'Cablear a_t = tanh(W_aa a_{t−1} + W_ax x_t + b_a) y ver cómo la activación lleva el pasado de un instante de tiempo al siguiente.',
  },
  intro: {
    en: 'A plain neuron forgets: its output depends on the current input only. A recurrent cell has two inputs, the current data x_t and its own previous activation a_{t−1}, and two outputs, the prediction y_t and the new activation a_t. The state node holds a_{t−1} on its left socket and takes a_t on its "next" socket. The canvas starts with x_t, the state and y_t, unwired.',
    es: 'Una neurona normal olvida: su salida depende solo de la entrada actual. Una celda recurrente tiene dos entradas, el dato actual x_t y su propia activación anterior a_{t−1}, y dos salidas, la predicción y_t y la nueva activación a_t. El nodo de estado ofrece a_{t−1} en su conector de la izquierda y recibe a_t en su conector "next". El lienzo empieza con x_t, el estado y y_t, sin cables.',
  },
  start: bare,
  startLabels: ELMAN_ES,
  steps: [
    match(neuron, {
      en: 'First, a neuron without memory: transform x_t with a linear node, squash it with tanh, and send the result both to the state\'s "next" socket (a_t) and to the output y_t.',
      es: 'Primero, una neurona sin memoria: transforma x_t con un nodo lineal, aplástalo con tanh y envía el resultado al conector "next" del estado (a_t) y a la salida y_t.',
    }, [
      { en: 'Drag "Linear" and "Tanh" from the palette onto the canvas.', es: 'Arrastra "Lineal" y "Tanh" desde la paleta al lienzo.' },
      { en: 'Wires: x → linear → tanh; tanh → the state\'s "next" input and tanh → y.', es: 'Cables: x → lineal → tanh; tanh → la entrada "next" del estado y tanh → y.' },
    ]),
    match(elman, {
      en: 'Now give it memory: the linear node must read a_{t−1} as well as x_t. Join them with a concat, [a_{t−1}, x_t], or add a second linear that reads a_{t−1} and sum the two.',
      es: 'Ahora dale memoria: el nodo lineal debe leer a_{t−1} además de x_t. Únelos con una concatenación, [a_{t−1}, x_t], o añade un segundo lineal que lea a_{t−1} y suma los dos.',
    }, [
      { en: 'a_{t−1} comes out of the state node\'s left socket.', es: 'a_{t−1} sale del conector izquierdo del nodo de estado.' },
      { en: 'A concat with a_{t−1} on its first input and x_t on its second, feeding the linear: W[a_{t−1}, x_t] is W_aa a_{t−1} + W_ax x_t.', es: 'Una concatenación con a_{t−1} en su primera entrada y x_t en la segunda, que alimente al lineal: W[a_{t−1}, x_t] es W_aa a_{t−1} + W_ax x_t.' },
    ]),
    done({
      en: 'Watch a_t step by step: press "Train", train on the task charlm for a few hundred steps, then open "Inside the cell" and move the time step to t = 3. The same weights run at every step; only a_{t−1} and x_t change. Press "Done" when you have seen it.',
      es: 'Mira a_t paso a paso: pulsa "Entrenar", entrena con la tarea charlm unos cientos de pasos, abre "Dentro de la celda" y lleva el paso de tiempo a t = 3. Los mismos pesos se usan en cada paso; solo cambian a_{t−1} y x_t. Pulsa "Hecho" cuando lo hayas visto.',
    }, [
      { en: 'The equations under the canvas show the cell you wired: a_t = tanh(W·[a_{t−1}, x_t] + b).', es: 'Las ecuaciones bajo el lienzo muestran la celda que cableaste: a_t = tanh(W·[a_{t−1}, x_t] + b).' },
    ]),
  ],
};

const taskShapes: Lesson = {
  id: 'task-shapes',
  title: { en: 'One to many, many to one, many to many', es: 'Uno a muchos, muchos a uno, muchos a muchos' },
  goal: {
    en: 'Tell the three shapes of a sequence task apart, each on a built-in task, with the same Elman cell.',
    es: 'Distinguir las tres formas de una tarea con secuencias, cada una en una tarea incluida, con la misma celda de Elman.',
  },
  intro: {
    en: 'A recurrent cell reads one x_t and writes one y_t per time step. What changes from task to task is which inputs carry data and which outputs are scored. The cell on the canvas is the Elman cell; open "Train" and choose each task in turn.',
    es: 'Una celda recurrente lee un x_t y escribe un y_t en cada instante de tiempo. Lo que cambia de una tarea a otra es qué entradas llevan datos y qué salidas se evalúan. La celda del lienzo es la celda de Elman; abre "Entrenar" y elige cada tarea por turno.',
  },
  start: elman,
  startLabels: ELMAN_ES,
  steps: [
    done({
      en: 'Many to many: with the task charlm (or dinosaurs, which invents dinosaur names), every x_t is a character and every y_t predicts the next one. Train it and look at the samples.',
      es: 'Muchos a muchos: con la tarea charlm (o dinosaurs, que inventa nombres de dinosaurios), cada x_t es un carácter y cada y_t predice el siguiente. Entrénala y mira las muestras.',
    }, [{ en: 'A sequence in, a sequence out, one output per input.', es: 'Una secuencia entra y otra sale, una salida por cada entrada.' }]),
    done({
      en: 'Many to one: with the task adding (or order), the whole sequence is read and only the last y_t is scored: one number, or one category, for the sequence.',
      es: 'Muchos a uno: con la tarea adding (u order), se lee toda la secuencia y solo se evalúa el último y_t: un número, o una categoría, para la secuencia.',
    }, [{ en: 'The outputs before the last are computed but not scored: a_t carries what matters to the end.', es: 'Las salidas anteriores a la última se calculan pero no se evalúan: a_t lleva lo importante hasta el final.' }]),
    done({
      en: 'One to many: with the task spell-number, one number goes in (42) and a whole sequence comes out ("cuarenta y dos"), one character per time step.',
      es: 'Uno a muchos: con la tarea spell-number, entra un número (42) y sale toda una secuencia ("cuarenta y dos"), un carácter por instante de tiempo.',
    }, [{ en: 'One datum in, many out: whatever the cell still has to spell must be kept in a_t from one step to the next.', es: 'Un dato entra y salen muchos: lo que a la celda le queda por deletrear tiene que conservarse en a_t de un paso al siguiente.' }]),
  ],
};

const shortMemory: Lesson = {
  id: 'short-memory',
  title: { en: 'Short memory', es: 'Memoria de corto plazo' },
  goal: {
    en: 'See why a_0 barely reaches y_t in an Elman cell, and measure the gradient flow of a trained one.',
    es: 'Ver por qué a_0 apenas llega a y_t en una celda de Elman, y medir el flujo del gradiente de una ya entrenada.',
  },
  intro: {
    en: 'Unroll the Elman cell: a_3 = tanh(W a_2 + …) = tanh(W tanh(W tanh(W a_0 + …) + …) + …). Every step multiplies whatever came from a_0 by W and by a tanh slope that is at most 1, so after a few steps little of it is left.',
    es: 'Desenrolla la celda de Elman: a_3 = tanh(W a_2 + …) = tanh(W tanh(W tanh(W a_0 + …) + …) + …). Cada paso multiplica lo que viene de a_0 por W y por una pendiente de tanh que es como mucho 1, así que tras unos pocos pasos queda poco.',
  },
  start: elman,
  startLabels: ELMAN_ES,
  steps: [
    done({
      en: 'Read the equations under the canvas and write y_3 in terms of a_0 on paper: count the tanh functions a_0 goes through.',
      es: 'Lee las ecuaciones bajo el lienzo y escribe y_3 en función de a_0 en papel: cuenta las tanh por las que pasa a_0.',
    }, [{ en: 'y_3 = a_3, and a_0 is inside three nested tanh.', es: 'y_3 = a_3, y a_0 queda dentro de tres tanh anidadas.' }]),
    done({
      en: 'Measure it: open "Train", then the "Gradient flow" tab, and run the study. It trains this cell and the examples on the adding task and plots ‖∂L/∂a_t‖ over t. Compare what is kept back to a₀ by the Elman cell and by the LSTM.',
      es: 'Mídelo: abre "Entrenar", luego la pestaña "Flujo del gradiente", y lanza el estudio. Entrena esta celda y los ejemplos en la tarea adding y dibuja ‖∂L/∂a_t‖ a lo largo de t. Compara lo que conservan hasta a₀ la celda de Elman y la LSTM.',
    }, [{ en: 'A straight falling line on the log scale is an exponential decay: the vanishing gradient.', es: 'Una recta que baja en la escala logarítmica es un decaimiento exponencial: el gradiente que se desvanece.' }]),
  ],
};

const lstmLesson: Lesson = {
  id: 'lstm',
  title: { en: 'The LSTM, gate by gate', es: 'La LSTM, compuerta a compuerta' },
  goal: {
    en: 'Turn a memory that only adds into an LSTM: a forget gate, an update gate on the candidate, then an output gate, each step checked.',
    es: 'Convertir una memoria que solo suma en una LSTM: una compuerta de olvido, una de actualización sobre el candidato y una de salida, comprobando cada paso.',
  },
  intro: {
    en: "The canvas holds a cell with a memory c_t besides a_t: it computes a candidate c'_t = tanh(W_c[a_{t−1}, x_t] + b_c) and adds it, c_t = c_{t−1} + c'_t, with a_t = tanh(c_t). It never forgets anything and writes everything. Gates fix that: each is a linear node, a σ (values between 0 and 1) and a multiply, a valve on a vector.",
    es: "El lienzo tiene una celda con una memoria c_t además de a_t: calcula un candidato c'_t = tanh(W_c[a_{t−1}, x_t] + b_c) y lo suma, c_t = c_{t−1} + c'_t, con a_t = tanh(c_t). Nunca olvida nada y lo escribe todo. Las compuertas lo arreglan: cada una es un nodo lineal, un σ (valores entre 0 y 1) y una multiplicación, una válvula sobre un vector.",
  },
  start: accumulator,
  startLabels: { es: { a: 'oculto', c: 'celda', cc: 'candidato' } },
  steps: [
    match(withForget, {
      en: 'Forget gate: Γ_f = σ(W_f[a_{t−1}, x_t] + b_f), and c_t = Γ_f ⊙ c_{t−1} + c\'_t. Add a linear reading the concat, a σ on it, and a multiply of the gate by c_{t−1}; that product replaces c_{t−1} in the sum.',
      es: 'Compuerta de olvido: Γ_f = σ(W_f[a_{t−1}, x_t] + b_f), y c_t = Γ_f ⊙ c_{t−1} + c\'_t. Añade un lineal que lea la concatenación, un σ sobre él y una multiplicación de la compuerta por c_{t−1}; ese producto sustituye a c_{t−1} en la suma.',
    }, [
      { en: 'You need three nodes from the palette: Linear, Sigmoid (σ) and Multiply (⊙).', es: 'Necesitas tres nodos de la paleta: Lineal, Sigmoide (σ) y Producto (⊙).' },
      { en: 'c_{t−1} is the left socket of the "cell" state, not of the hidden one.', es: 'c_{t−1} es el conector izquierdo del estado "celda", no del oculto.' },
      { en: 'Wire the product into the add node\'s first input: dropping a wire on a connected input replaces the old wire.', es: 'Conecta el producto a la primera entrada del nodo suma: soltar un cable sobre una entrada ya conectada sustituye al anterior.' },
    ]),
    match(withUpdate, {
      en: "Update gate: Γ_u = σ(W_u[a_{t−1}, x_t] + b_u) decides how much of the candidate is written: c_t = Γ_f ⊙ c_{t−1} + Γ_u ⊙ c'_t.",
      es: "Compuerta de actualización: Γ_u = σ(W_u[a_{t−1}, x_t] + b_u) decide cuánto del candidato se escribe: c_t = Γ_f ⊙ c_{t−1} + Γ_u ⊙ c'_t.",
    }, [
      { en: 'The same three nodes again, this time multiplying the candidate (the tanh labelled "candidate").', es: 'Los mismos tres nodos otra vez, ahora multiplicando el candidato (la tanh llamada "candidato").' },
      { en: 'The product goes into the add node\'s second input.', es: 'El producto va a la segunda entrada del nodo suma.' },
    ]),
    match(lstm, {
      en: 'Output gate: Γ_o = σ(W_o[a_{t−1}, x_t] + b_o) decides what part of the memory becomes the new activation: a_t = Γ_o ⊙ tanh(c_t), which feeds both the hidden state and y_t.',
      es: 'Compuerta de salida: Γ_o = σ(W_o[a_{t−1}, x_t] + b_o) decide qué parte de la memoria pasa a la nueva activación: a_t = Γ_o ⊙ tanh(c_t), que alimenta al estado oculto y a y_t.',
    }, [
      { en: 'Multiply the gate by the tanh of c_t (the node after the add).', es: 'Multiplica la compuerta por la tanh de c_t (el nodo después de la suma).' },
      { en: 'The product replaces tanh(c_t) on both the hidden state\'s "next" input and the output y.', es: 'El producto sustituye a tanh(c_t) en la entrada "next" del estado oculto y en la salida y.' },
    ]),
  ],
};

const gruLesson: Lesson = {
  id: 'gru',
  title: { en: 'The GRU', es: 'La GRU' },
  goal: {
    en: 'Build a GRU from an Elman cell: an update gate that blends old and new, then a reset gate on what the candidate reads.',
    es: 'Construir una GRU a partir de una celda de Elman: una compuerta de actualización que mezcla lo viejo y lo nuevo, y después una de reinicio sobre lo que lee el candidato.',
  },
  intro: {
    en: "A GRU has two gates and no separate memory: the hidden state h_t does both jobs. The canvas holds an Elman cell whose tanh is the candidate h'_t = tanh(W_h[h_{t−1}, x_t] + b_h). (The equations name the hidden state a_t, as the tutorial does for the Elman cell and the LSTM.)",
    es: "Una GRU tiene dos compuertas y ninguna memoria aparte: el estado oculto h_t hace los dos trabajos. El lienzo tiene una celda de Elman cuya tanh es el candidato h'_t = tanh(W_h[h_{t−1}, x_t] + b_h). (Las ecuaciones llaman a_t al estado oculto, como hace el tutorial con la celda de Elman y la LSTM.)",
  },
  start: gruStart,
  startLabels: { es: { h: 'oculto', cand: 'candidato' } },
  steps: [
    match(withUpdateGate, {
      en: "Update gate: z_t = σ(W_z[h_{t−1}, x_t] + b_z), and h_t = z_t ⊙ h_{t−1} + (1 − z_t) ⊙ h'_t: z_t keeps part of the old state and lets the candidate fill the rest.",
      es: "Compuerta de actualización: z_t = σ(W_z[h_{t−1}, x_t] + b_z), y h_t = z_t ⊙ h_{t−1} + (1 − z_t) ⊙ h'_t: z_t conserva parte del estado anterior y deja que el candidato complete el resto.",
    }, [
      { en: 'The palette\'s "One minus" node turns z_t into 1 − z_t.', es: 'El nodo "Uno menos" de la paleta convierte z_t en 1 − z_t.' },
      { en: 'Two products and one add; the add feeds the state\'s "next" input and y.', es: 'Dos productos y una suma; la suma alimenta la entrada "next" del estado y a y.' },
    ]),
    match(gru, {
      en: "Reset gate: r_t = σ(W_r[h_{t−1}, x_t] + b_r) decides how much of the past the candidate sees: h'_t = tanh(W_h[r_t ⊙ h_{t−1}, x_t] + b_h).",
      es: "Compuerta de reinicio: r_t = σ(W_r[h_{t−1}, x_t] + b_r) decide cuánto pasado ve el candidato: h'_t = tanh(W_h[r_t ⊙ h_{t−1}, x_t] + b_h).",
    }, [
      { en: 'The candidate\'s linear needs a concat of its own: [r_t ⊙ h_{t−1}, x_t].', es: 'El lineal del candidato necesita su propia concatenación: [r_t ⊙ h_{t−1}, x_t].' },
      { en: 'This is the tutorial\'s GRU, reset before the product; PyTorch and Keras reset after it (see the examples).', es: 'Es la GRU del tutorial, con el reinicio antes del producto; PyTorch y Keras lo aplican después (mira los ejemplos).' },
    ]),
  ],
};

const ownGate: Lesson = {
  id: 'own-gate',
  title: { en: 'Design your own gate', es: 'Diseña tu propia compuerta' },
  goal: {
    en: 'Add a gate of your own design to the Elman cell, and find out by training whether it helps.',
    es: 'Añadir a la celda de Elman una compuerta diseñada por ti, y averiguar entrenando si ayuda.',
  },
  intro: {
    en: 'Every gate you met is a σ that scales a vector. Where else could one help? On the input, on the state read back, on the output? There is no single answer: any cell that compiles with a σ feeding a multiply passes; training tells you whether it was a good idea.',
    es: 'Todas las compuertas que has visto son un σ que escala un vector. ¿Dónde más podría ayudar una? ¿En la entrada, en el estado que se relee, en la salida? No hay una única respuesta: pasa cualquier celda que compile con un σ que alimente una multiplicación; entrenar te dirá si fue buena idea.',
  },
  start: elman,
  startLabels: ELMAN_ES,
  steps: [
    {
      instruction: {
        en: 'Add a gate: a linear node, a σ and a multiply that scales some value of the cell. Then check, and train it against the Elman cell on the task adding.',
        es: 'Añade una compuerta: un nodo lineal, un σ y una multiplicación que escale algún valor de la celda. Después comprueba, y entrénala frente a la celda de Elman en la tarea adding.',
      },
      hints: [
        { en: 'For instance, gate what the cell reads back: g_t = σ(W_g[a_{t−1}, x_t] + b_g) and use g_t ⊙ a_{t−1} in place of a_{t−1}.', es: 'Por ejemplo, pon una compuerta a lo que la celda relee: g_t = σ(W_g[a_{t−1}, x_t] + b_g) y usa g_t ⊙ a_{t−1} en lugar de a_{t−1}.' },
        { en: 'The "Gradient flow" tab measures your cell next to the examples.', es: 'La pestaña "Flujo del gradiente" mide tu celda junto a los ejemplos.' },
      ],
      check: { kind: 'gate' },
    },
  ],
};

export const LESSONS: readonly Lesson[] = [recurrence, taskShapes, shortMemory, lstmLesson, gruLesson, ownGate];

export function lessonById(id: string): Lesson | undefined {
  return LESSONS.find((l) => l.id === id);
}
