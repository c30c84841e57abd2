/**
 * Placeholder start page until the canvas lands: every example, checked and
 * lowered by the real compiler. User text is only ever set as textContent.
 */
import { compileJson, parameterCounts, printProgram, type Compiled } from '../compiler';
import { deriveEquations, formatEquations } from '../compiler/equations';
import { exportPytorch, type ExportedFile } from '../export/pytorch';
import { exportTfjs } from '../export/tfjs';
import { initParameters } from '../runtime/init';

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
  section.append(exportMenu(path, json, compiled.value));
  return section;
}

/** Downloads: the cell file, and the cell as PyTorch or TF.js code with seeded initial weights. */
function exportMenu(path: string, json: Record<string, unknown>, compiled: Compiled): HTMLElement {
  const menu = element('p', 'Export: ');
  const cellName = path.split('/').pop() ?? 'cell.json';
  const weights = () => ({ cell: initParameters(compiled.program, 1) });
  const choices: [string, () => ExportedFile[]][] = [
    ['cell file (.json)', () => [{ path: cellName, content: `${JSON.stringify(json, null, 2)}\n` }]],
    ['PyTorch module + weights', () => [...exportPytorch(compiled, { params: weights() }).files]],
    ['TF.js module + weights', () => [...exportTfjs(compiled, { params: weights() }).files]],
  ];
  for (const [label, files] of choices) {
    const button = element('button', label);
    button.type = 'button';
    button.addEventListener('click', () => files().forEach(download));
    menu.append(button, ' ');
  }
  return menu;
}

function download(file: ExportedFile): void {
  const url = URL.createObjectURL(new Blob([file.content], { type: 'text/plain;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = file.path;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

const app = document.getElementById('app') as HTMLElement;
for (const [path, json] of Object.entries(examples)) app.append(renderExample(path, json));
