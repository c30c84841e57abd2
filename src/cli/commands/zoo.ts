/** `celda zoo`: the published cells in examples/zoo, by group, with citation and parameter count. */
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ZOO, ZOO_GROUPS, formatCitation, type ZooGroup } from '../../../examples/zoo';
import { parameterCounts } from '../../compiler';
import { choiceOption, integerOption, type Command } from '../command';
import { compileCellFile } from '../cell-file';
import { EXIT, plural } from '../io';

/** Sizes the counts are given at: input = hidden, so cells whose state takes the input's size (MUT1, MUT2, SRU) compare fairly. */
export const ZOO_DEFAULT_SIZE = 128;
const ZOO_MAX_SIZE = 1024;

const ZOO_DIR = fileURLToPath(new URL('../../../examples/zoo/', import.meta.url));
const zooFile = (id: string): string => join(ZOO_DIR, `${id}.json`);

export const zooCommand: Command = {
  name: 'zoo',
  summary: 'List the published cells in examples/zoo: group, name, citation, parameter count.',
  args: '',
  minPositionals: 0,
  maxPositionals: 0,
  options: {
    group: { type: 'string', value: 'GROUP', help: `Only one group: ${ZOO_GROUPS.map((g) => g.id).join(', ')}.` },
    input: { type: 'string', value: 'N', help: `Input size for the parameter counts, 1 to ${ZOO_MAX_SIZE} (default ${ZOO_DEFAULT_SIZE}).` },
    hidden: { type: 'string', value: 'N', help: `Hidden size for the parameter counts, 1 to ${ZOO_MAX_SIZE} (default ${ZOO_DEFAULT_SIZE}).` },
  },
  details: 'Each cell is a cell file: pass its path to validate, info, equations, train or export. Its description holds the citation and the\n'
    + 'paper\'s equations; examples/zoo/README.md says how each was wired. MUT1, MUT2 and SRU add x_t to the state, so their state takes the\n'
    + 'input size (--hidden does not change them).\n'
    + 'With --json: {"ok", "sizes", "groups": [{"id", "title"}], "cells": [{"id", "name", "group", "citation": {"authors", "year", "title"}, "file", "parameters"}]}.',
  run(args, ctx) {
    const group = choiceOption<ZooGroup | 'all'>(args, 'group', [...ZOO_GROUPS.map((g) => g.id), 'all'], 'all');
    const sizes = { input: integerOption(args, 'input', 1, ZOO_MAX_SIZE, ZOO_DEFAULT_SIZE), hidden: integerOption(args, 'hidden', 1, ZOO_MAX_SIZE, ZOO_DEFAULT_SIZE) };
    const entries = ZOO.filter((e) => group === 'all' || e.group === group);
    const cells = entries.map((e) => {
      const file = zooFile(e.id);
      const { compiled } = compileCellFile(file, sizes);
      return { id: e.id, name: e.name, group: e.group, citation: e.citation, file: relative(process.cwd(), file), parameters: parameterCounts(compiled.program).total };
    });
    const groups = ZOO_GROUPS.filter((g) => cells.some((c) => c.group === g.id));

    ctx.printJson({ ok: true, sizes, groups, cells });

    ctx.print(`${plural(cells.length, 'cell')}, parameters at input ${sizes.input}, hidden ${sizes.hidden}:`);
    const idWidth = Math.max(...cells.map((c) => c.id.length));
    const nameWidth = Math.max(...cells.map((c) => c.name.length));
    const countWidth = Math.max(...cells.map((c) => c.parameters.toLocaleString('en').length));
    for (const g of groups) {
      ctx.print('');
      ctx.print(g.title);
      for (const c of cells.filter((cell) => cell.group === g.id)) {
        ctx.print(`  ${c.id.padEnd(idWidth)}  ${c.name.padEnd(nameWidth)}  ${c.parameters.toLocaleString('en').padStart(countWidth)}  ${formatCitation(c.citation)}`);
      }
    }
    ctx.print('');
    ctx.print(`Files: ${join(relative(process.cwd(), ZOO_DIR), '<id>.json')}`);
    return EXIT.ok;
  },
};
