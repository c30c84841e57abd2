import { describe, expect, it } from 'vitest';
import { sortDiagnostics, countBySeverity } from '../../src/ui/lib/problems';
import { cellFileText, fileBaseName } from '../../src/ui/lib/files';
import { setMetadata } from '../../src/model/edit';
import { loadCellText } from '../../src/model/load';
import type { Diagnostic, Severity } from '../../src/model/diagnostics';
import { loadExample } from '../helpers';

describe('downloads and small helpers', () => {
  it('names files from the cell name, safely', () => {
    expect(fileBaseName('GRU (reset before)')).toBe('gru-reset-before');
    expect(fileBaseName('Célula ñ')).toBe('celula-n');
    expect(fileBaseName('../../etc/passwd')).toBe('etc-passwd');
    expect(fileBaseName('   ')).toBe('cell');
    expect(fileBaseName('x'.repeat(200))).toHaveLength(60);
  });

  it('writes a cell file the loader reads back unchanged', () => {
    const lstm = loadExample('lstm');
    const loaded = loadCellText(cellFileText(lstm));
    expect(loaded.ok && loaded.value).toEqual(lstm);
  });

  it('edits the name and description, and returns the same cell when nothing changes', () => {
    const lstm = loadExample('lstm');
    expect(setMetadata(lstm, { name: 'LSTM' })).toBe(lstm);
    const renamed = setMetadata(lstm, { name: 'Mine', description: 'd' });
    expect(renamed.metadata).toEqual({ name: 'Mine', description: 'd' });
    expect(lstm.metadata.name).toBe('LSTM');
  });

  it('lists errors before warnings, each in the order found', () => {
    const found = (severity: Severity, code: string): Diagnostic => ({ code, severity, message: code });
    const ds = [found('warning', 'w1'), found('error', 'e1'), found('warning', 'w2'), found('error', 'e2')];
    expect(sortDiagnostics(ds).map((d) => d.code)).toEqual(['e1', 'e2', 'w1', 'w2']);
    expect(countBySeverity(ds)).toEqual({ errors: 2, warnings: 2 });
  });
});
