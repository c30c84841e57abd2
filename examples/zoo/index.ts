/**
 * The zoo: published recurrent cells wired from primitives, one cell file each
 * (examples/zoo/<id>.json). This list is what `celda zoo` prints and what a
 * gallery reads: group, name and citation. Each file's description holds the
 * same citation and the paper's equations; examples/zoo/build.ts writes the files.
 */

export type ZooGroup = 'classics' | 'lstm-family' | 'gru-family' | 'minimal-gated' | 'other';

/** Display order of the groups. */
export const ZOO_GROUPS: readonly { readonly id: ZooGroup; readonly title: string }[] = [
  { id: 'classics', title: 'Classics' },
  { id: 'lstm-family', title: 'LSTM family' },
  { id: 'gru-family', title: 'GRU family' },
  { id: 'minimal-gated', title: 'Minimal gated units' },
  { id: 'other', title: 'Other' },
];

export interface Citation {
  readonly authors: string;
  readonly year: number;
  readonly title: string;
}

export interface ZooEntry {
  /** File name without .json; also the name `celda zoo` lists. */
  readonly id: string;
  readonly name: string;
  readonly group: ZooGroup;
  readonly citation: Citation;
}

const HOCHREITER_1997: Citation = { authors: 'S. Hochreiter, J. Schmidhuber', year: 1997, title: 'Long short-term memory' };
const GREFF_2017: Citation = { authors: 'K. Greff, R. K. Srivastava, J. Koutník, B. R. Steunebrink, J. Schmidhuber', year: 2017, title: 'LSTM: A search space odyssey' };
const JOZEFOWICZ_2015: Citation = { authors: 'R. Jozefowicz, W. Zaremba, I. Sutskever', year: 2015, title: 'An empirical exploration of recurrent network architectures' };
const CHO_2014: Citation = { authors: 'K. Cho, B. van Merriënboer, C. Gulcehre, D. Bahdanau, F. Bougares, H. Schwenk, Y. Bengio', year: 2014, title: 'Learning phrase representations using RNN encoder-decoder for statistical machine translation' };

export const ZOO: readonly ZooEntry[] = [
  { id: 'elman', name: 'Elman RNN', group: 'classics', citation: { authors: 'J. L. Elman', year: 1990, title: 'Finding structure in time' } },
  { id: 'lstm-1997', name: 'LSTM without forget gate', group: 'classics', citation: HOCHREITER_1997 },
  { id: 'lstm-peephole', name: 'Vanilla LSTM with peepholes', group: 'classics', citation: { authors: 'F. A. Gers, J. Schmidhuber', year: 2000, title: 'Recurrent nets that time and count' } },
  { id: 'gru', name: 'GRU (reset before)', group: 'classics', citation: CHO_2014 },
  { id: 'gru-reset-after', name: 'GRU (reset after, cuDNN)', group: 'classics', citation: CHO_2014 },
  { id: 'lstm-nig', name: 'LSTM, no input gate (NIG)', group: 'lstm-family', citation: GREFF_2017 },
  { id: 'lstm-nfg', name: 'LSTM, no forget gate (NFG)', group: 'lstm-family', citation: GREFF_2017 },
  { id: 'lstm-nog', name: 'LSTM, no output gate (NOG)', group: 'lstm-family', citation: GREFF_2017 },
  { id: 'lstm-niaf', name: 'LSTM, no input activation (NIAF)', group: 'lstm-family', citation: GREFF_2017 },
  { id: 'lstm-noaf', name: 'LSTM, no output activation (NOAF)', group: 'lstm-family', citation: GREFF_2017 },
  { id: 'lstm-np', name: 'LSTM, no peepholes (NP)', group: 'lstm-family', citation: GREFF_2017 },
  { id: 'lstm-cifg', name: 'LSTM, coupled input and forget gate (CIFG)', group: 'lstm-family', citation: GREFF_2017 },
  { id: 'lstm-fgr', name: 'LSTM, full gate recurrence (FGR)', group: 'lstm-family', citation: GREFF_2017 },
  { id: 'layernorm-lstm', name: 'Layer-normalised LSTM', group: 'lstm-family', citation: { authors: 'J. L. Ba, J. R. Kiros, G. E. Hinton', year: 2016, title: 'Layer normalization' } },
  { id: 'li-gru', name: 'Light GRU (Li-GRU)', group: 'gru-family', citation: { authors: 'M. Ravanelli, P. Brakel, M. Omologo, Y. Bengio', year: 2018, title: 'Light gated recurrent units for speech recognition' } },
  { id: 'mut1', name: 'MUT1', group: 'gru-family', citation: JOZEFOWICZ_2015 },
  { id: 'mut2', name: 'MUT2', group: 'gru-family', citation: JOZEFOWICZ_2015 },
  { id: 'mut3', name: 'MUT3', group: 'gru-family', citation: JOZEFOWICZ_2015 },
  { id: 'mgu', name: 'Minimal gated unit (MGU)', group: 'minimal-gated', citation: { authors: 'G.-B. Zhou, J. Wu, C.-L. Zhang, Z.-H. Zhou', year: 2016, title: 'Minimal gated unit for recurrent neural networks' } },
  { id: 'janet', name: 'JANET (forget gate only)', group: 'minimal-gated', citation: { authors: 'J. van der Westhuizen, J. Lasenby', year: 2018, title: 'The unreasonable effectiveness of the forget gate' } },
  { id: 'ugrnn', name: 'Update-gate RNN (UGRNN)', group: 'minimal-gated', citation: { authors: 'J. Collins, J. Sohl-Dickstein, D. Sussillo', year: 2017, title: 'Capacity and trainability in recurrent neural networks' } },
  { id: 'minimal-rnn', name: 'MinimalRNN', group: 'minimal-gated', citation: { authors: 'M. Chen', year: 2017, title: 'MinimalRNN: Toward more interpretable and trainable recurrent neural networks' } },
  { id: 'cfn', name: 'Chaos-free network (CFN)', group: 'minimal-gated', citation: { authors: 'T. Laurent, J. von Brecht', year: 2017, title: 'A recurrent neural network without chaos' } },
  { id: 'indrnn', name: 'Independently recurrent network (IndRNN)', group: 'other', citation: { authors: 'S. Li, W. Li, C. Cook, C. Zhu, Y. Gao', year: 2018, title: 'Independently recurrent neural network (IndRNN): Building a longer and deeper RNN' } },
  { id: 'sru', name: 'Simple recurrent unit (SRU)', group: 'other', citation: { authors: 'T. Lei, Y. Zhang, S. I. Wang, H. Dai, Y. Artzi', year: 2018, title: 'Simple recurrent units for highly parallelizable recurrence' } },
  { id: 'ran', name: 'Recurrent additive network (RAN)', group: 'other', citation: { authors: 'K. Lee, O. Levy, L. Zettlemoyer', year: 2017, title: 'Recurrent additive networks' } },
  { id: 'scrn', name: 'Structurally constrained RNN (SCRN)', group: 'other', citation: { authors: 'T. Mikolov, A. Joulin, S. Chopra, M. Mathieu, M. Ranzato', year: 2015, title: 'Learning longer memory in recurrent neural networks' } },
];

/** "Authors (year). Title." as the cell files' descriptions start. */
export const formatCitation = (c: Citation): string => `${c.authors} (${c.year}). ${c.title}.`;
