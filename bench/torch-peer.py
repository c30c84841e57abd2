"""PyTorch peer of `npm run bench` (bench/torch-peer.ts runs it): char-LM training steps.

What a researcher would write instead of Celda: the built-in `nn.LSTM` / `nn.GRU`, or the
same cell as a Python loop over time steps (the way a new variant is first written), trained
with full BPTT and Adam on one-hot characters, the readout a linear layer, cross-entropy on
every step. Same sizes as the Celda run. Prints one JSON object.

It also says which BLAS library the process really loaded (Debian's torch calls the generic
libblas.so.3, which the alternatives system points at the reference BLAS or at OpenBLAS):
the reference BLAS is ~10x slower, and a comparison against it must say so.
"""
import argparse
import json
import os
import statistics
import time

import torch
from torch import nn


def loaded_blas():
    """Real paths of the BLAS / LAPACK / OpenMP libraries mapped into this process."""
    found = set()
    with open('/proc/self/maps') as maps:
        for line in maps:
            parts = line.split()
            if len(parts) < 6:
                continue
            path = parts[5]
            name = os.path.basename(path)
            if any(key in name for key in ('blas', 'mkl', 'lapack', 'blis')):
                found.add(os.path.realpath(path))
    return sorted(found)


def blas_kind(paths):
    joined = ' '.join(paths)
    if 'openblas' in joined:
        return 'openblas'
    if 'mkl' in joined:
        return 'mkl'
    if 'blis' in joined:
        return 'blis'
    if any(os.path.basename(p).startswith('libblas') for p in paths):
        return 'reference'
    return 'unknown'


class LoopLstm(nn.Module):
    """The textbook LSTM written as a Python loop, one fused gate product per step."""

    def __init__(self, vocab, hidden):
        super().__init__()
        self.hidden = hidden
        self.gates = nn.Linear(vocab + hidden, 4 * hidden)

    def forward(self, xs):
        batch = xs.shape[1]
        a = xs.new_zeros(batch, self.hidden)
        c = xs.new_zeros(batch, self.hidden)
        out = []
        for x in xs:
            f, u, o, g = self.gates(torch.cat([x, a], 1)).chunk(4, 1)
            c = torch.sigmoid(f) * c + torch.sigmoid(u) * torch.tanh(g)
            a = torch.sigmoid(o) * torch.tanh(c)
            out.append(a)
        return torch.stack(out)


class LoopGru(nn.Module):
    """The GRU (reset after the product, as nn.GRU and cuDNN) written as a Python loop."""

    def __init__(self, vocab, hidden):
        super().__init__()
        self.hidden = hidden
        self.wx = nn.Linear(vocab, 3 * hidden)
        self.wa = nn.Linear(hidden, 3 * hidden)

    def forward(self, xs):
        batch = xs.shape[1]
        a = xs.new_zeros(batch, self.hidden)
        out = []
        for x in xs:
            xr, xz, xn = self.wx(x).chunk(3, 1)
            ar, az, an = self.wa(a).chunk(3, 1)
            r = torch.sigmoid(xr + ar)
            z = torch.sigmoid(xz + az)
            n = torch.tanh(xn + r * an)
            a = (1 - z) * n + z * a
            out.append(a)
        return torch.stack(out)


class Model(nn.Module):
    def __init__(self, cell, impl, vocab, hidden):
        super().__init__()
        if impl == 'builtin':
            self.rnn = (nn.LSTM if cell == 'lstm' else nn.GRU)(vocab, hidden)
        else:
            self.rnn = (LoopLstm if cell == 'lstm' else LoopGru)(vocab, hidden)
        self.impl = impl
        self.readout = nn.Linear(hidden, vocab)

    def forward(self, xs):
        hs = self.rnn(xs)[0] if self.impl == 'builtin' else self.rnn(xs)
        return self.readout(hs)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--cell', choices=['lstm', 'gru'], required=True)
    parser.add_argument('--impl', choices=['builtin', 'loop'], required=True)
    parser.add_argument('--vocab', type=int, required=True)
    parser.add_argument('--hidden', type=int, required=True)
    parser.add_argument('--batch', type=int, required=True)
    parser.add_argument('--seq', type=int, required=True)
    parser.add_argument('--warmup', type=int, required=True)
    parser.add_argument('--steps', type=int, required=True)
    parser.add_argument('--threads', type=int, required=True)
    parser.add_argument('--seed', type=int, default=1)
    a = parser.parse_args()

    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    model = Model(a.cell, a.impl, a.vocab, a.hidden)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    loss_fn = nn.CrossEntropyLoss()
    ids = torch.randint(0, a.vocab, (a.seq + 1, a.batch))
    xs = nn.functional.one_hot(ids[:-1], a.vocab).float()
    targets = ids[1:].reshape(-1)

    times = []
    loss = float('nan')
    for i in range(a.warmup + a.steps):
        t0 = time.perf_counter()
        optimizer.zero_grad()
        logits = model(xs)
        value = loss_fn(logits.reshape(-1, a.vocab), targets)
        value.backward()
        optimizer.step()
        loss = value.item()
        dt = (time.perf_counter() - t0) * 1000
        if i >= a.warmup:
            times.append(dt)

    blas = loaded_blas()
    print(json.dumps({
        'torch': torch.__version__,
        'threads': torch.get_num_threads(),
        'blas': blas_kind(blas),
        'blasLibraries': blas,
        'stepMs': {'median': statistics.median(times), 'min': min(times), 'max': max(times)},
        'loss': loss,
    }))


if __name__ == '__main__':
    main()
