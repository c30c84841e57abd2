#!/usr/bin/env python3
"""Train an exported Celda cell as a character-level language model with DistributedDataParallel.

    npx celda export examples/lstm.json --to pytorch --input <vocab> --out out/
    torchrun --nproc_per_node=2 examples/scale-out/train_ddp.py --module-dir out/ --data text.txt

The model is the exported CeldaSequence followed by an nn.Linear readout to the vocabulary
(sorted distinct characters of the text); cross-entropy on the next character, Adam, gradient
clipping. Every rank draws its own batches (seed + rank); DDP averages the gradients, so all
ranks hold the same parameters after every step. At the end every rank hashes its parameters,
the hashes are gathered and compared, and the run fails (exit 3) if any rank differs.

Backend: gloo on CPU, nccl when CUDA is available (one GPU per process, chosen by LOCAL_RANK).
Started without torchrun it runs as a single process (world size 1).
See examples/scale-out/README.md.
"""
import argparse
import datetime
import hashlib
import importlib.util
import json
import math
import os
import socket
import sys
import time
from typing import Dict, List, Optional

import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch import nn
from torch.nn.parallel import DistributedDataParallel

WEIGHTS_FORMAT = "celda-torch-weights"
EXIT_USAGE = 2
EXIT_DISAGREE = 3


class UsageError(Exception):
    """A problem with the arguments, the exported module or the data: reported without a traceback.
    Rank 0 reports it (every rank finds the same problem) unless it concerns this rank only."""

    def __init__(self, message: str, every_rank: bool = False) -> None:
        super().__init__(message)
        self.every_rank = every_rank


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    p.add_argument("--module-dir", required=True, help="folder with celda_cell.py (and optionally weights.json) from `celda export --to pytorch`")
    p.add_argument("--weights", default=None, help="weights file to start from (default: MODULE_DIR/weights.json if it exists)")
    p.add_argument("--data", required=True, help="UTF-8 text file to train on")
    p.add_argument("--steps", type=int, default=200, help="optimizer steps")
    p.add_argument("--batch", type=int, default=16, help="sequences per batch, per rank")
    p.add_argument("--seq", type=int, default=64, help="characters per sequence (truncated BPTT length)")
    p.add_argument("--lr", type=float, default=3e-3, help="Adam learning rate")
    p.add_argument("--clip", type=float, default=1.0, help="max gradient norm (0 disables clipping)")
    p.add_argument("--seed", type=int, default=1, help="seed for initialisation; rank r draws batches with seed + r")
    p.add_argument("--dtype", choices=["float32", "float64"], default="float32")
    p.add_argument("--cpu", action="store_true", help="stay on the CPU (gloo) even when CUDA is available")
    p.add_argument("--log-every", type=int, default=10, help="log the loss (mean over ranks) every N steps")
    p.add_argument("--sample", type=int, default=0, help="after training, rank 0 prints N sampled characters")
    p.add_argument("--timeout", type=float, default=300, help="seconds to wait for the other ranks")
    p.add_argument("--out", default=None, help="rank 0 writes celda_cell.py, weights.json and train.json here")
    # Hidden, for testing the agreement check: this rank nudges one parameter before the checksums.
    p.add_argument("--desync-rank", type=int, default=None, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    for name in ("steps", "batch", "seq", "log_every"):
        if getattr(args, name) < 1:
            p.error(f"--{name.replace('_', '-')} must be at least 1")
    if args.lr <= 0 or args.clip < 0 or args.sample < 0:
        p.error("--lr must be positive, --clip and --sample not negative")
    return args


def load_module(module_dir: str):
    """Imports celda_cell.py from module_dir (without writing __pycache__ there) and checks what it exports."""
    path = os.path.join(module_dir, "celda_cell.py")
    if not os.path.isfile(path):
        raise UsageError(f"{path} not found: export a cell first (npx celda export CELL --to pytorch --input N --out {module_dir})")
    sys.dont_write_bytecode = True
    spec = importlib.util.spec_from_file_location("celda_cell", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    missing = [n for n in ("CeldaSequence", "read_weights", "INPUT_SIZE", "OUTPUT_SIZE") if not hasattr(module, n)]
    if missing:
        raise UsageError(f"{path} is not a Celda PyTorch export (missing {', '.join(missing)})")
    return module


def read_text(path: str) -> str:
    try:
        # newline="" keeps the file's line endings, so the vocabulary matches vocab_size.py and the tests.
        with open(path, encoding="utf-8", newline="") as f:
            return f.read()
    except (OSError, UnicodeDecodeError) as e:
        raise UsageError(f"cannot read {path} as UTF-8 text: {e}") from e


class CharModel(nn.Module):
    """The exported cell over a sequence of one-hot characters, then a linear readout to logits."""

    def __init__(self, module, vocab_size: int) -> None:
        super().__init__()
        self.vocab_size = vocab_size
        self.seq = module.CeldaSequence()
        self.readout = nn.Linear(module.OUTPUT_SIZE, vocab_size)

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        """ids [T, B] → logits [T, B, vocab]."""
        xs = F.one_hot(ids, self.vocab_size).to(self.readout.weight.dtype)
        ys, _ = self.seq(xs)
        return self.readout(ys)


def initialise(model: CharModel, weights_path: Optional[str], vocab: List[str], seed: int, say) -> None:
    """Same on every rank (DDP also broadcasts rank 0's parameters): the weights file, else seeded uniform."""
    torch.manual_seed(seed)
    cell = model.seq.cell
    model.readout.reset_parameters()
    if weights_path is None:
        bound = 1.0 / math.sqrt(max(1, model.readout.in_features))
        with torch.no_grad():
            for param in cell.parameters():
                param.uniform_(-bound, bound)
        say(f"no weights file: cell initialised uniformly in ±{bound:.4f} (seed {seed}); "
            "export with weights (celda export ... --params P) to start from Celda's initialisation")
        return
    with open(weights_path, encoding="utf-8") as f:
        data = json.load(f)
    if data.get("format") != WEIGHTS_FORMAT:
        raise UsageError(f"{weights_path} is not a Celda weights file (format {data.get('format')!r})")
    if "vocab" in data and data["vocab"] != vocab:
        raise UsageError(f"{weights_path} was trained on a different vocabulary than the data; train on the same text or start from a fresh export")
    tensors: Dict[str, Dict] = data.get("tensors", {})
    with torch.no_grad():
        for name, param in cell.named_parameters():
            load_tensor(param, tensors.get(name), f"tensor {name}", weights_path)
        readout = data.get("readout")
        loaded_readout = False
        if readout is not None and list(readout["weight"]["shape"]) == list(model.readout.weight.shape):
            load_tensor(model.readout.weight, readout["weight"], "readout weight", weights_path)
            load_tensor(model.readout.bias, readout["bias"], "readout bias", weights_path)
            loaded_readout = True
    say(f"cell weights from {weights_path}" + (", readout too" if loaded_readout else "; readout initialised (seed %d)" % seed))


def load_tensor(param: torch.Tensor, t: Optional[Dict], what: str, path: str) -> None:
    if t is None:
        raise UsageError(f"{path} has no {what}: was it exported from the same cell as celda_cell.py?")
    if list(t["shape"]) != list(param.shape):
        raise UsageError(f"{path}: {what} has shape {t['shape']}, the module expects {list(param.shape)}; "
                         "export celda_cell.py and weights.json together (same --input/--hidden)")
    param.copy_(torch.tensor(t["data"], dtype=torch.float64).reshape(param.shape).to(param.dtype))


def setup_distributed(args: argparse.Namespace):
    """Process group from torchrun's environment (RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR/PORT)."""
    if "RANK" not in os.environ:  # plain `python train_ddp.py`: a world of one
        os.environ.update(RANK="0", WORLD_SIZE="1", LOCAL_RANK="0", MASTER_ADDR="127.0.0.1", MASTER_PORT=str(free_port()))
    local_rank = int(os.environ.get("LOCAL_RANK", "0"))
    if torch.cuda.is_available() and not args.cpu:
        count = torch.cuda.device_count()
        if local_rank >= count:
            raise UsageError(f"LOCAL_RANK {local_rank} but this node has {count} GPU(s): "
                             f"use --nproc_per_node={count}, or --cpu to train on the CPU", every_rank=True)
        device = torch.device("cuda", local_rank)
        torch.cuda.set_device(device)
        backend = "nccl"
    else:
        device = torch.device("cpu")
        backend = "gloo"
    dist.init_process_group(backend=backend, init_method="env://", timeout=datetime.timedelta(seconds=args.timeout))
    return dist.get_rank(), dist.get_world_size(), device, backend


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def checksum(model: nn.Module) -> str:
    """sha256 over every parameter's name, shape, dtype and bytes: equal only if bit-for-bit equal."""
    h = hashlib.sha256()
    for name, param in model.named_parameters():
        t = param.detach().cpu().contiguous()
        h.update(f"{name}:{list(t.shape)}:{t.dtype};".encode())
        h.update(t.numpy().tobytes())
    return h.hexdigest()


def draw_batch(data: torch.Tensor, batch: int, seq: int, generator: torch.Generator):
    """B random windows of seq + 1 characters → inputs [T, B] and next-character targets [T, B]."""
    starts = torch.randint(0, data.numel() - seq, (batch,), generator=generator)
    windows = torch.stack([data[s:s + seq + 1] for s in starts.tolist()], 1)
    return windows[:-1], windows[1:]


@torch.no_grad()
def sample_text(model: CharModel, vocab: List[str], prompt: str, n: int, generator: torch.Generator, device) -> str:
    index = {c: i for i, c in enumerate(vocab)}
    cell = model.seq.cell
    x = torch.zeros(1, model.vocab_size, dtype=model.readout.weight.dtype, device=device)
    states = cell.initial_states(x)
    out = []
    ids = [index[c] for c in prompt if c in index] or [0]
    for step in range(len(ids) + n - 1):
        i = ids[step] if step < len(ids) else out[-1]
        x.zero_()
        x[0, i] = 1
        y, states = cell(x, states)
        if step >= len(ids) - 1:
            probs = torch.softmax(model.readout(y)[0].double().cpu(), 0)
            out.append(int(torch.multinomial(probs, 1, generator=generator)))
    return prompt + "".join(vocab[i] for i in out)


def save(out_dir: str, module_dir: str, model: CharModel, vocab: List[str], summary: Dict) -> None:
    """weights.json in the exported module's own format (load_weights reads it) plus the readout and vocab."""
    os.makedirs(out_dir, exist_ok=True)
    tensor = lambda p: {"shape": list(p.shape), "data": p.detach().cpu().double().flatten().tolist()}  # noqa: E731
    weights = {
        "format": WEIGHTS_FORMAT,
        "version": 1,
        "tensors": {name: tensor(p) for name, p in model.seq.cell.named_parameters()},
        "readout": {"weight": tensor(model.readout.weight), "bias": tensor(model.readout.bias)},
        "vocab": vocab,
    }
    with open(os.path.join(out_dir, "weights.json"), "w", encoding="utf-8") as f:
        json.dump(weights, f)
        f.write("\n")
    source = os.path.join(module_dir, "celda_cell.py")
    target = os.path.join(out_dir, "celda_cell.py")
    if os.path.abspath(source) != os.path.abspath(target):
        with open(source, encoding="utf-8") as f, open(target, "w", encoding="utf-8") as g:
            g.write(f.read())
    with open(os.path.join(out_dir, "train.json"), "w", encoding="utf-8") as f:
        json.dump(summary, f, indent=2)
        f.write("\n")


def main(argv: Optional[List[str]] = None) -> int:
    args = parse_args(argv)
    is_rank0 = os.environ.get("RANK", "0") == "0"
    say = (lambda msg: print(msg, flush=True)) if is_rank0 else (lambda msg: None)

    # Everything that can be wrong with the inputs is checked before joining the process group,
    # so a mistake ends every rank at once instead of leaving the others waiting.
    module = load_module(args.module_dir)
    text = read_text(args.data)
    vocab = sorted(set(text))
    if module.INPUT_SIZE != len(vocab):
        raise UsageError(
            f"the exported cell reads {module.INPUT_SIZE} inputs per step but {args.data} has {len(vocab)} distinct characters.\n"
            f"Export the cell again with --input {len(vocab)}:\n"
            f"  npx celda export CELL --to pytorch --input {len(vocab)} --out {args.module_dir}\n"
            f"(python3 examples/scale-out/vocab_size.py {args.data} prints the vocabulary size)")
    if len(text) < args.seq + 1:
        raise UsageError(f"{args.data} has {len(text)} characters; --seq {args.seq} needs at least {args.seq + 1}")
    weights_path = args.weights
    if weights_path is None:
        default = os.path.join(args.module_dir, "weights.json")
        weights_path = default if os.path.isfile(default) else None
    elif not os.path.isfile(weights_path):
        raise UsageError(f"--weights {weights_path}: no such file")

    dtype = torch.float64 if args.dtype == "float64" else torch.float32
    model = CharModel(module, len(vocab)).to(dtype)
    initialise(model, weights_path, vocab, args.seed, say)

    rank, world, device, backend = setup_distributed(args)
    try:
        return train(args, model, text, vocab, rank, world, device, backend, say)
    finally:
        dist.destroy_process_group()


def train(args, model: CharModel, text: str, vocab: List[str], rank: int, world: int, device, backend: str, say) -> int:
    model.to(device)
    ddp = DistributedDataParallel(model, device_ids=[device.index] if device.type == "cuda" else None)
    index = {c: i for i, c in enumerate(vocab)}
    data = torch.tensor([index[c] for c in text], dtype=torch.long)
    generator = torch.Generator().manual_seed(args.seed + rank)
    optimizer = torch.optim.Adam(ddp.parameters(), lr=args.lr)
    count = sum(p.numel() for p in model.parameters())
    say(f"world {world} ({backend} on {device.type}), vocab {len(vocab)}, {len(text)} chars, "
        f"{count} parameters; batch {args.batch}/rank × seq {args.seq}, {args.steps} steps")

    losses = []
    started = time.perf_counter()
    for step in range(1, args.steps + 1):
        inputs, targets = draw_batch(data, args.batch, args.seq, generator)
        inputs, targets = inputs.to(device), targets.to(device)
        logits = ddp(inputs)
        loss = F.cross_entropy(logits.reshape(-1, len(vocab)), targets.reshape(-1))
        optimizer.zero_grad(set_to_none=True)
        loss.backward()  # DDP averages the gradients over the ranks here
        grad_norm = torch.nn.utils.clip_grad_norm_(ddp.parameters(), args.clip) if args.clip > 0 else None
        optimizer.step()
        if step == 1 or step % args.log_every == 0 or step == args.steps:
            mean = loss.detach().double().clone()
            dist.all_reduce(mean)  # the same collective on every rank, at the same steps
            mean = float(mean) / world
            losses.append({"step": step, "loss": mean})
            rate = step * args.batch * args.seq * world / (time.perf_counter() - started)
            norm = f", grad norm {float(grad_norm):.3f}" if grad_norm is not None else ""
            say(f"step {step}/{args.steps} loss {mean:.4f} (bits/char {mean / math.log(2):.3f}{norm}, {rate:.0f} chars/s)")
            if not math.isfinite(mean):  # the same value on every rank, so all of them stop here together
                if rank == 0:
                    print(f"error: the loss is {mean} at step {step}; try a lower --lr", file=sys.stderr, flush=True)
                return 1

    if args.desync_rank == rank:
        with torch.no_grad():
            next(model.parameters()).view(-1)[0] += 1e-3

    # Every rank hashes its parameters; all of them must match.
    mine = checksum(model)
    gathered: List[Optional[str]] = [None] * world
    dist.all_gather_object(gathered, mine)
    if len(set(gathered)) != 1:
        if rank == 0:
            for r, c in enumerate(gathered):
                print(f"rank {r} checksum {c}", file=sys.stderr)
            print(f"ranks DISAGREE: {len(set(gathered))} different parameter sets over {world} ranks", file=sys.stderr, flush=True)
        return EXIT_DISAGREE
    say(f"ranks agree: {world} rank{'' if world == 1 else 's'}, checksum sha256:{mine[:16]}")

    if rank == 0:
        final = losses[-1]["loss"]
        say(f"final loss {final:.4f} after {args.steps} steps, {time.perf_counter() - started:.1f} s")
        if args.sample:
            gen = torch.Generator().manual_seed(args.seed)
            say("sample: " + sample_text(model, vocab, text[:1], args.sample, gen, device))
        if args.out:
            summary = {"world": world, "backend": backend, "steps": args.steps, "batch_per_rank": args.batch, "seq": args.seq,
                       "lr": args.lr, "seed": args.seed, "vocab_size": len(vocab), "losses": losses, "checksum": mine}
            save(args.out, args.module_dir, model, vocab, summary)
            say(f"saved {os.path.join(args.out, 'weights.json')}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except UsageError as e:
        if e.every_rank or os.environ.get("RANK", "0") == "0":
            print(f"error: {e}", file=sys.stderr, flush=True)
        sys.exit(EXIT_USAGE)
