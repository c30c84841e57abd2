/**
 * Placeholder start page until the canvas lands: every example, checked and
 * lowered by the real compiler. User text is only ever set as textContent.
 */
import { compileJson, parameterCounts, printProgram } from '../compiler';
import { deriveEquations, formatEquations } from '../compiler/equations';

const examples = import.meta.glob<Record<string, unknown>>('../../examples/*.json', { eager: true, import: 'default' });

function element<K extends keyof HTMLElementTagNameMap>(tag: K, text = '', className = ''): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  el.textContent = text;
  if (className) el.className = className;
  return el;
}

function renderExample(path: string, json: Record<string, unknown>): HTMLElement {
  const section = element('section');
  const metadata = (json.metadata ?? {}) as { name?: string; description?: string };
  section.append(element('h2', metadata.name ?? path), element('p', metadata.description ?? ''));
  const compiled = compileJson(json);
  if (!compiled.ok) {
    for (const d of compiled.diagnostics) section.append(element('p', `${d.code}: ${d.message}`, 'bad'));
    return section;
  }
  const { program, shaped } = compiled.value;
  const sizes = Object.entries(program.sizes).map(([k, v]) => `${k} ${v}`).join(', ');
  section.append(element('p', `Valid · ${sizes} · ${parameterCounts(program).total} parameters · ${program.ops.length} ops per step`, 'ok'));
  section.append(element('pre', formatEquations(deriveEquations(shaped, 'tutorial'), 'text')));
  section.append(element('details'));
  const details = section.lastElementChild as HTMLDetailsElement;
  details.append(element('summary', 'Step program (IR)'), element('pre', printProgram(program)));
  return section;
}

const app = document.getElementById('app') as HTMLElement;
for (const [path, json] of Object.entries(examples)) app.append(renderExample(path, json));
