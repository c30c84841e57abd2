/** Every problem the loader or compiler finds is one of these: never a raw exception. */
import { isDiagnosticCode, renderMessage, type DiagnosticCode, type Lang, type MessageParams, type MessageParamsAny } from './messages';

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  /** Stable machine-readable code, e.g. `shape-mismatch`. Documented in docs/diagnostics.md. */
  readonly code: string;
  readonly severity: Severity;
  /** One sentence for a person, in English; names the node (by label and id) and the port at fault. */
  readonly message: string;
  /**
   * What the message is made of (node, port, sizes…), plain JSON, so that
   * `renderDiagnostic` can word it in any language (src/model/messages.ts).
   * Absent on diagnostics made with a ready message (see `error`).
   */
  readonly params?: MessageParamsAny;
  readonly nodeId?: string;
  readonly port?: string;
  /** JSON path into the file for structural problems, e.g. `nodes[3].params.out`. */
  readonly path?: string;
}

type Where = Partial<Pick<Diagnostic, 'nodeId' | 'port' | 'path'>>;

/** Codes outside the message table: only these may still come with a ready English message. */
type UntabledCode<C extends string> = C extends DiagnosticCode ? never : C;

export function error<C extends DiagnosticCode>(code: C, params: MessageParams<C>, where?: Where): Diagnostic;
/**
 * Legacy: a code that is not in the message table yet, with its English message.
 * Still used by src/runtime/train.ts, checkpoint.ts and params-file.ts until their
 * codes join the table; such diagnostics show in English in every language.
 */
export function error<C extends string>(code: UntabledCode<C>, message: string, where?: Where): Diagnostic;
export function error(code: string, params: unknown, where: Where = {}): Diagnostic {
  return diagnostic('error', code, params, where);
}

export function warning<C extends DiagnosticCode>(code: C, params: MessageParams<C>, where?: Where): Diagnostic;
/** Legacy, as for `error`. */
export function warning<C extends string>(code: UntabledCode<C>, message: string, where?: Where): Diagnostic;
export function warning(code: string, params: unknown, where: Where = {}): Diagnostic {
  return diagnostic('warning', code, params, where);
}

/** `detail`: the table params of `code`, or a legacy ready message. */
function diagnostic(severity: Severity, code: string, detail: unknown, where: Where): Diagnostic {
  if (typeof detail === 'string') return { code, severity, message: detail, ...where };
  const params = detail as MessageParamsAny;
  return { code, severity, message: renderMessage(code as DiagnosticCode, params as never, 'en'), params, ...where };
}

/** The diagnostic's sentence in `lang`; one made with a ready message keeps it. */
export function renderDiagnostic(d: Diagnostic, lang: Lang): string {
  if (d.params === undefined || !isDiagnosticCode(d.code)) return d.message;
  return renderMessage(d.code, d.params as never, lang);
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Result of a step that may fail with diagnostics. */
export type Result<T> = { ok: true; value: T; diagnostics: Diagnostic[] } | { ok: false; diagnostics: Diagnostic[] };
