/**
 * Long cells built programmatically, for the checks that generated kernel source grows
 * linearly with the graph (codegen-size.test.ts) and that such cells still train like
 * the reference (tests/gpu/chain-parity.test.ts).
 */
import type { Cell, CellNode, Connection } from '../../src/model/cell';

const AT = { x: 0, y: 0 };
const link = (from: string, fromPort: string, to: string, toPort: string): Connection => ({ from, fromPort, to, toPort });

/** x_t and h_{t−1} into one linear: the head every chain starts from (its last node is 'W'). */
function head(): { nodes: CellNode[]; connections: Connection[] } {
  return {
    nodes: [
      { id: 'x', kind: 'input', params: {}, position: AT },
      { id: 'h', kind: 'state', params: {}, position: AT },
      { id: 'cat', kind: 'concat', params: {}, position: AT },
      { id: 'W', kind: 'linear', params: {}, position: AT },
    ],
    connections: [link('h', 'prev', 'cat', 'in0'), link('x', 'x', 'cat', 'in1'), link('cat', 'out', 'W', 'in')],
  };
}

function finish(name: string, nodes: CellNode[], connections: Connection[], last: string, sizes: { input: number; hidden: number }): Cell {
  nodes.push({ id: 'y', kind: 'output', params: {}, position: AT });
  connections.push(link(last, 'out', 'h', 'next'), link(last, 'out', 'y', 'y'));
  return { format: 'celda-cell', version: 1, metadata: { name, description: '' }, sizes: { ...sizes, named: {} }, nodes, connections };
}

/** h_t = tanh(tanh(… tanh(W [h_{t−1}, x_t] + b) …)), n tanh nodes deep. */
export function tanhChain(n: number, sizes = { input: 3, hidden: 4 }): Cell {
  const { nodes, connections } = head();
  let last = 'W';
  for (let i = 0; i < n; i++) {
    nodes.push({ id: `t${i}`, kind: 'tanh', params: {}, position: AT });
    connections.push(link(last, 'out', `t${i}`, 'in'));
    last = `t${i}`;
  }
  return finish(`tanh chain ${n}`, nodes, connections, last, sizes);
}

/**
 * A residual chain with fan-out at every node: r_i = r_{i−1} + tanh(r_{i−1}), r_0 = W [h_{t−1}, x_t] + b,
 * h_t = tanh(r_n); n tanh-and-add pairs (2n + 1 elementwise nodes). Each r feeds two users, so an
 * expression written without locals would double at every pair.
 */
export function residualChain(n: number, sizes = { input: 3, hidden: 4 }): Cell {
  const { nodes, connections } = head();
  let last = 'W';
  for (let i = 0; i < n; i++) {
    nodes.push({ id: `t${i}`, kind: 'tanh', params: {}, position: AT }, { id: `r${i}`, kind: 'add', params: {}, position: AT });
    connections.push(link(last, 'out', `t${i}`, 'in'), link(last, 'out', `r${i}`, 'a'), link(`t${i}`, 'out', `r${i}`, 'b'));
    last = `r${i}`;
  }
  nodes.push({ id: 'squash', kind: 'tanh', params: {}, position: AT });
  connections.push(link(last, 'out', 'squash', 'in'));
  return finish(`residual chain ${n}`, nodes, connections, 'squash', sizes);
}

/** n linear → tanh pairs in a row: every linear reads the tanh before it, so each is its own product (many kernels). */
export function linearChain(n: number, sizes = { input: 3, hidden: 4 }): Cell {
  const { nodes, connections } = head();
  let last = 'W';
  for (let i = 0; i < n; i++) {
    if (i > 0) {
      nodes.push({ id: `W${i}`, kind: 'linear', params: {}, position: AT });
      connections.push(link(last, 'out', `W${i}`, 'in'));
      last = `W${i}`;
    }
    nodes.push({ id: `t${i}`, kind: 'tanh', params: {}, position: AT });
    connections.push(link(last, 'out', `t${i}`, 'in'));
    last = `t${i}`;
  }
  return finish(`linear chain ${n}`, nodes, connections, last, sizes);
}

/**
 * A cell that reads values at 2^depth column offsets: `base` tanh nodes after a linear, then
 * `depth` levels of p' = p[0 : n − d] + p[d : n] with d = 1, 2, 4, … Legal and small (about
 * 3·depth + base nodes), yet each value of the base is needed at every offset, so even written
 * once per (value, offset) its kernels need about 3 · base · 2^depth locals. `repeats` chains
 * that many such blocks, each behind its own linear (so in kernels of its own).
 */
export function offsetPyramid(depth: number, base: number, repeats = 1): Cell {
  const { nodes, connections } = head();
  const size = (extra: number) => (extra ? `hidden + ${extra}` : 'hidden');
  const widest = 2 ** depth - 1;
  nodes[3] = { ...nodes[3], params: { out: size(widest) } };
  let last = 'W';
  for (let r = 0; r < repeats; r++) {
    if (r > 0) {
      nodes.push({ id: `W${r}`, kind: 'linear', params: { out: size(widest) }, position: AT });
      connections.push(link(last, 'out', `W${r}`, 'in'));
      last = `W${r}`;
    }
    for (let i = 0; i < base; i++) {
      nodes.push({ id: `t${r}.${i}`, kind: 'tanh', params: {}, position: AT });
      connections.push(link(last, 'out', `t${r}.${i}`, 'in'));
      last = `t${r}.${i}`;
    }
    let extra = widest;
    for (let level = 0; level < depth; level++) {
      const d = 2 ** level;
      extra -= d;
      const [lo, hi, sum] = [`lo${r}.${level}`, `hi${r}.${level}`, `sum${r}.${level}`];
      nodes.push(
        { id: lo, kind: 'slice', params: { start: 0, length: size(extra) }, position: AT },
        { id: hi, kind: 'slice', params: { start: d, length: size(extra) }, position: AT },
        { id: sum, kind: 'add', params: {}, position: AT },
      );
      connections.push(link(last, 'out', lo, 'in'), link(last, 'out', hi, 'in'), link(lo, 'out', sum, 'a'), link(hi, 'out', sum, 'b'));
      last = sum;
    }
  }
  return finish(`offset pyramid ${depth}×${base}×${repeats}`, nodes, connections, last, { input: 3, hidden: 4 });
}

/**
 * n gates read the same [h_{t−1}, x_t] (one stacked product) and are multiplied in a row:
 * s_i = s_{i−1} ⊙ tanh(g_i). The backward step's n gate gradients all run through the tail of
 * that chain, so each one shares the gradients written for the gates after it.
 */
export function gateChain(n: number, sizes = { input: 3, hidden: 4 }): Cell {
  const { nodes, connections } = head();
  let last = '';
  for (let i = 0; i < n; i++) {
    const gate = i === 0 ? 'W' : `W${i}`;
    if (i > 0) nodes.push({ id: gate, kind: 'linear', params: {}, position: AT });
    if (i > 0) connections.push(link('cat', 'out', gate, 'in'));
    nodes.push({ id: `t${i}`, kind: 'tanh', params: {}, position: AT });
    connections.push(link(gate, 'out', `t${i}`, 'in'));
    if (i === 0) {
      last = 't0';
      continue;
    }
    nodes.push({ id: `s${i}`, kind: 'multiply', params: {}, position: AT });
    connections.push(link(last, 'out', `s${i}`, 'a'), link(`t${i}`, 'out', `s${i}`, 'b'));
    last = `s${i}`;
  }
  return finish(`gate chain ${n}`, nodes, connections, last, sizes);
}
