/**
 * Which backend trains and why, in the UI's language, from the chooser's report
 * (src/gpu/choose.ts): "Training on WebAssembly: WebGPU could not compile or run this
 * cell: …". Details are the chooser's one-line summaries, never a compiler's dump.
 */
import type { BackendReport, SkippedBackend } from '../../gpu/choose';
import type { BackendStrings } from './strings';

/** Why one backend was passed over (or, chosen by the user, could not train). */
export function skippedText(s: SkippedBackend, t: BackendStrings): string {
  return t.skipped[s.reason](t.names[s.backend], s.detail ?? '');
}

export function reportText(report: BackendReport, t: BackendStrings): string {
  const running = t.trainingOn(t.names[report.backend]);
  return report.skipped.length === 0 ? running : `${running}: ${report.skipped.map((s) => skippedText(s, t)).join('; ')}`;
}

/** A backend the user chose could not train the cell: why, and what to do instead. */
export function failureText(s: SkippedBackend, t: BackendStrings): string {
  return t.cannotTrain(skippedText(s, t));
}
