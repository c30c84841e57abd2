/** Every problem the loader or compiler finds is one of these: never a raw exception. */
export type Severity = 'error' | 'warning';

export interface Diagnostic {
  /** Stable machine-readable code, e.g. `shape-mismatch`. Documented in docs/diagnostics.md. */
  readonly code: string;
  readonly severity: Severity;
  /** One sentence for a person; names the node (by label and id) and the port at fault. */
  readonly message: string;
  readonly nodeId?: string;
  readonly port?: string;
  /** JSON path into the file for structural problems, e.g. `nodes[3].params.out`. */
  readonly path?: string;
}

export function error(code: string, message: string, where: Partial<Pick<Diagnostic, 'nodeId' | 'port' | 'path'>> = {}): Diagnostic {
  return { code, severity: 'error', message, ...where };
}

export function warning(code: string, message: string, where: Partial<Pick<Diagnostic, 'nodeId' | 'port' | 'path'>> = {}): Diagnostic {
  return { code, severity: 'warning', message, ...where };
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Result of a step that may fail with diagnostics. */
export type Result<T> = { ok: true; value: T; diagnostics: Diagnostic[] } | { ok: false; diagnostics: Diagnostic[] };
