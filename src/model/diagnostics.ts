/** Every problem the loader, the compiler or the trainer finds is one of these: never a raw exception. */
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
   * Every diagnostic made by `error` or `warning` has them.
   */
  readonly params?: MessageParamsAny;
  readonly nodeId?: string;
  readonly port?: string;
  /** JSON path into the file for structural problems, e.g. `nodes[3].params.out`. */
  readonly path?: string;
}

type Where = Partial<Pick<Diagnostic, 'nodeId' | 'port' | 'path'>>;

export function error<C extends DiagnosticCode>(code: C, params: MessageParams<C>, where: Where = {}): Diagnostic {
  return diagnostic('error', code, params, where);
}

export function warning<C extends DiagnosticCode>(code: C, params: MessageParams<C>, where: Where = {}): Diagnostic {
  return diagnostic('warning', code, params, where);
}

function diagnostic<C extends DiagnosticCode>(severity: Severity, code: C, params: MessageParams<C>, where: Where): Diagnostic {
  return { code, severity, message: renderMessage(code, params, 'en'), params, ...where };
}

/** The diagnostic's sentence in `lang`; one that did not come from the message table keeps its message. */
export function renderDiagnostic(d: Diagnostic, lang: Lang): string {
  if (d.params === undefined || !isDiagnosticCode(d.code)) return d.message;
  return renderMessage(d.code, d.params as never, lang);
}

/** A diagnostic of a part read inside a larger file: its path put under the part's (`cells[0].cell` + `nodes[3]`). */
export function underPath(field: string, d: Diagnostic): Diagnostic {
  return { ...d, path: d.path ? `${field}.${d.path}` : field };
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Result of a step that may fail with diagnostics. */
export type Result<T> = { ok: true; value: T; diagnostics: Diagnostic[] } | { ok: false; diagnostics: Diagnostic[] };
