#!/usr/bin/env python3
# -*- coding: utf-8 -*-
# Written by Celda (celda arena --export-torch); the same file for every grid.
"""Trains runs of a Celda arena grid with PyTorch, one results line per run.

Each run config (runs/rNNNN.json) names its cell module (cells/), its initial parameters
(init/: Celda's for the run's seed), its data (data/: Celda's own training batches for the
seed and the task's validation set) and its settings. The run trains as Celda's trainer does
(full BPTT, the mean loss over the scored steps, global-norm clipping, Celda's optimiser
update) and writes one line of the arena's results.jsonl format to results/rNNNN.jsonl.

  python3 train.py runs/r0001.json ...   the runs given
  python3 train.py --index I             line I (0-based) of runs.txt: one task of a job array
  python3 train.py --all                 the runs i with i % WORLD_SIZE == RANK (torchrun sets
                                         both; without it, every run)

A run whose result is already there, made with the same settings (at any --dtype), is skipped.
"""
import argparse
import importlib.util
import json
import math
import os
import sys
import time
from typing import Dict, List, Optional, Tuple

import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
RUN_FORMAT = "celda-arena-torch-run"
RUN_VERSION = 1
EXIT_USAGE = 2


class ExportError(Exception):
    """A problem with the exported files or the command line, said in words (exit 2)."""


def read_json(path: str) -> dict:
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        raise ExportError(f"cannot read {path}: {e}") from e


def in_export(relative: str) -> str:
    return os.path.join(HERE, relative)


def load_config(path: str) -> dict:
    config = read_json(path)
    if not isinstance(config, dict) or config.get("format") != RUN_FORMAT or config.get("version") != RUN_VERSION:
        raise ExportError(f"{path} is not a run of a Celda arena export ({RUN_FORMAT} version {RUN_VERSION})")
    return config


_modules: Dict[str, object] = {}


def cell_module(relative: str):
    """The exported cell's module (cells/cell_N.py), loaded once per process."""
    if relative not in _modules:
        path = in_export(relative)
        name = "celda_" + os.path.splitext(os.path.basename(path))[0]
        spec = importlib.util.spec_from_file_location(name, path)
        if spec is None or spec.loader is None:
            raise ExportError(f"cannot load the cell module {path}")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        _modules[relative] = module
    return _modules[relative]


class Data:
    """A data file of the export: fixed-size records, one batch each (layout in torch-grid.ts)."""

    def __init__(self, layout: dict, dtype: torch.dtype, device: torch.device) -> None:
        self.layout = layout
        self.dtype = dtype
        self.device = device
        self.path = in_export(layout["path"])
        if not os.path.exists(self.path):
            raise ExportError(f"{self.path} is missing: export the grid again")
        size = os.path.getsize(self.path)
        if size != layout["records"] * layout["recordBytes"]:
            raise ExportError(f"{self.path} should hold {layout['records']} records of {layout['recordBytes']} bytes; it has {size} bytes")

    def __len__(self) -> int:
        return self.layout["records"]

    def batch(self, index: int) -> Tuple[torch.Tensor, List[Optional[torch.Tensor]]]:
        """Record `index`: inputs [length, batch, inputSize] and each step's target (None where not scored)."""
        lay = self.layout
        length, batch, width, out = lay["length"], lay["batch"], lay["inputSize"], lay["outputSize"]
        with open(self.path, "rb") as f:
            f.seek(index * lay["recordBytes"])
            raw = f.read(lay["recordBytes"])
        at = 0

        def take(count: int, dtype: torch.dtype, size: int) -> torch.Tensor:
            nonlocal at
            part = torch.frombuffer(bytearray(raw[at:at + count * size]), dtype=dtype)
            at += count * size
            return part

        if lay["inputs"] == "one-hot":
            ids = take(length * batch, torch.int32, 4).to(torch.int64).reshape(length, batch)
            xs = F.one_hot(ids, width).to(self.dtype)
        else:
            xs = take(length * batch * width, torch.float64, 8).reshape(length, batch, width).to(self.dtype)
        if lay["targets"] == "classes":
            targets = take(length * batch, torch.int32, 4).to(torch.int64).reshape(length, batch).to(self.device)
        else:
            targets = take(length * batch * out, torch.float64, 8).reshape(length, batch, out).to(self.dtype).to(self.device)
        scored = raw[at:at + length]
        return xs.to(self.device), [targets[t] if scored[t] else None for t in range(length)]


class Model:
    """The cell and the readout (Celda's: a linear map from the cell's output y_t to the task's outputs)."""

    def __init__(self, config: dict, dtype: torch.dtype, device: torch.device) -> None:
        module = cell_module(config["module"])
        self.cell = module.CeldaCell().to(dtype=dtype, device=device)
        init = in_export(config["init"])
        module.load_weights(self.cell, init)
        readout = read_json(init)["readout"]
        self.weight = torch.tensor(readout["weight"]["data"], dtype=torch.float64).reshape(readout["weight"]["shape"]).to(dtype=dtype, device=device)
        self.bias = torch.tensor(readout["bias"]["data"], dtype=torch.float64).reshape(readout["bias"]["shape"]).to(dtype=dtype, device=device)
        self.weight.requires_grad_(True)
        self.bias.requires_grad_(True)
        self.classes = config["train"]["targets"] == "classes"
        celda_names = config["tensorNames"]
        named = list(self.cell.named_parameters())
        self.parameters = [p for _, p in named] + [self.weight, self.bias]
        # Celda's names ("node.tensor", "readout.W"), for the message when a run diverges.
        self.names = [celda_names.get(n, n) for n, _ in named] + ["readout.W", "readout.b"]

    def loss(self, xs: torch.Tensor, targets: List[Optional[torch.Tensor]]) -> torch.Tensor:
        """The mean over the scored steps of each step's loss (mean over the batch), as Celda scores a step."""
        states = self.cell.initial_states(xs[0])
        losses = []
        for t in range(xs.shape[0]):
            y, states = self.cell(xs[t], states)
            target = targets[t]
            if target is None:
                continue
            prediction = y @ self.weight.t() + self.bias
            losses.append(F.cross_entropy(prediction, target) if self.classes else ((prediction - target) ** 2).mean())
        return torch.stack(losses).mean()

    def evaluate(self, valid: Data) -> float:
        """Mean loss over every scored step of every validation batch (src/runtime/train.ts evaluateLoss)."""
        total = 0.0
        count = 0
        with torch.no_grad():
            for k in range(len(valid)):
                xs, targets = valid.batch(k)
                scored = sum(1 for t in targets if t is not None)
                total += float(self.loss(xs, targets)) * scored
                count += scored
        return total / count if count else math.nan


class Optimizer:
    """Celda's update (src/runtime/optim.ts), term for term: sgd with momentum, rmsprop, adam with bias correction."""

    def __init__(self, settings: dict, parameters: List[torch.Tensor]) -> None:
        self.s = settings
        self.t = 0
        self.slots = [[torch.zeros_like(p) for p in parameters] for _ in range(2 if settings["name"] == "adam" else 1)]

    def step(self, parameters: List[torch.Tensor], grads: List[torch.Tensor], lr: float) -> None:
        s = self.s
        self.t += 1
        with torch.no_grad():
            for k, (p, g) in enumerate(zip(parameters, grads)):
                if s["name"] == "sgd":
                    v = self.slots[0][k]
                    v.mul_(s["momentum"]).add_(g)
                    p.sub_(lr * v)
                elif s["name"] == "rmsprop":
                    ms = self.slots[0][k]
                    ms.mul_(s["rmsDecay"]).add_((1 - s["rmsDecay"]) * g * g)
                    p.sub_(lr * g / (ms.sqrt() + s["epsilon"]))
                else:
                    m, v = self.slots[0][k], self.slots[1][k]
                    m.mul_(s["beta1"]).add_((1 - s["beta1"]) * g)
                    v.mul_(s["beta2"]).add_((1 - s["beta2"]) * g * g)
                    c1 = 1 - s["beta1"] ** self.t
                    c2 = 1 - s["beta2"] ** self.t
                    p.sub_(lr * (m / c1) / ((v / c2).sqrt() + s["epsilon"]))

    def tensors(self) -> List[torch.Tensor]:
        return [t for slot in self.slots for t in slot]


class Diverged(Exception):
    def __init__(self, step: int, problem: str) -> None:
        super().__init__(f"diverged at step {step}: {problem} is not finite (NaN or ∞)")


def first_non_finite(tensors: List[torch.Tensor]) -> int:
    for i, t in enumerate(tensors):
        if not bool(torch.isfinite(t).all()):
            return i
    return -1


def train(config: dict, dtype: torch.dtype, device: torch.device) -> dict:
    model = Model(config, dtype, device)
    train_data = Data(config["train"], dtype, device)
    valid_data = Data(config["valid"], dtype, device)
    steps, every, eval_every = config["steps"], config["curveEvery"], config["evalEvery"]
    if len(train_data) != steps:
        raise ExportError(f"{train_data.path} holds {len(train_data)} batches for {steps} steps")
    optimizer = Optimizer(config["optimizer"], model.parameters)
    curve = []
    total, count = 0.0, 0
    for step in range(1, steps + 1):
        loss = model.loss(*train_data.batch(step - 1))
        if not bool(torch.isfinite(loss)):
            raise Diverged(step, "the loss")
        grads = list(torch.autograd.grad(loss, model.parameters))
        bad = first_non_finite(grads)
        if bad >= 0:
            raise Diverged(step, f"the gradient of {model.names[bad]}")
        norm = math.sqrt(sum(float((g * g).sum()) for g in grads))
        if config["clip"] > 0 and norm > config["clip"]:
            grads = [g * (config["clip"] / norm) for g in grads]
        optimizer.step(model.parameters, grads, config["lr"])
        bad = first_non_finite(model.parameters + optimizer.tensors())
        if bad >= 0:
            raise Diverged(step, f"{model.names[bad % len(model.parameters)]} after the update")
        total += float(loss)
        count += 1
        last = step == steps
        if step % every != 0 and not last:
            continue
        point = {"step": step, "trainLoss": total / count}
        if last or (eval_every > 0 and step % eval_every == 0):
            point["validLoss"] = model.evaluate(valid_data)
        curve.append(point)
        total, count = 0.0, 0
    return {"curve": curve, "finalValidLoss": curve[-1]["validLoss"], "status": "done"}


def finished(config: dict) -> bool:
    """Whether the run's result file holds a record of this run with these settings."""
    path = in_export(config["result"])
    if not os.path.exists(path):
        return False
    try:
        with open(path, encoding="utf-8") as f:
            record = json.loads(f.readline())
    except ValueError:
        return False
    return isinstance(record, dict) and all(record.get(k) == v for k, v in config["record"].items())


def write_record(config: dict, backend: str, outcome: dict, wall_ms: int) -> None:
    record = {}
    for key, value in config["record"].items():
        if key == "hyperparameters":
            record["backend"] = backend  # where the arena's records have it
        record[key] = value
    record.update({"curve": outcome["curve"], "finalValidLoss": outcome["finalValidLoss"], "wallMs": wall_ms, "status": outcome["status"]})
    if "error" in outcome:
        record["error"] = outcome["error"]
    path = in_export(config["result"])
    os.makedirs(os.path.dirname(path), exist_ok=True)
    temp = f"{path}.{os.getpid()}.tmp"
    with open(temp, "w", encoding="utf-8") as f:
        f.write(json.dumps(record, ensure_ascii=False, allow_nan=False) + "\n")
        f.flush()
        os.fsync(f.fileno())
    os.replace(temp, path)


def run(path: str, dtype: torch.dtype, device: torch.device, label: str) -> None:
    config = load_config(path)
    if finished(config):
        print(f"{label}{config['id']}: already done ({config['result']})", flush=True)
        return
    backend = f"pytorch ({str(dtype).replace('torch.', '')}, {device.type})"
    started = time.perf_counter()
    try:
        outcome = train(config, dtype, device)
    except Diverged as e:
        outcome = {"curve": [], "finalValidLoss": None, "status": "failed", "error": str(e)}
    wall_ms = round((time.perf_counter() - started) * 1000)
    write_record(config, backend, outcome, wall_ms)
    result = f"final validation loss {outcome['finalValidLoss']:.6g}" if outcome["status"] == "done" else f"FAILED: {outcome['error']}"
    print(f"{label}{config['id']}: {result} in {wall_ms / 1000:.1f} s", flush=True)


def listed_runs() -> List[str]:
    with open(in_export("runs.txt"), encoding="utf-8") as f:
        return [line.strip() for line in f if line.strip()]


def whole_env(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    if not raw.isdigit():
        raise ExportError(f"{name} must be a whole number, got {raw!r}")
    return int(raw)


def main() -> int:
    parser = argparse.ArgumentParser(description="Train runs of a Celda arena grid exported for PyTorch.")
    parser.add_argument("configs", nargs="*", help="run configs (runs/rNNNN.json)")
    parser.add_argument("--index", type=int, help="train line INDEX (0-based) of runs.txt (a job array's task id)")
    parser.add_argument("--all", action="store_true", help="train every run of runs.txt with i %% WORLD_SIZE == RANK")
    parser.add_argument("--dtype", choices=["float32", "float64"], default="float32", help="precision (default float32)")
    parser.add_argument("--device", default="auto", help="auto (cuda:LOCAL_RANK when CUDA is there, else cpu), cpu, cuda, cuda:N")
    args = parser.parse_args()
    try:
        chosen = sum([bool(args.configs), args.index is not None, args.all])
        if chosen != 1:
            raise ExportError("give run configs, --index I or --all (one of them)")
        rank, world = whole_env("RANK", 0), whole_env("WORLD_SIZE", 1)
        if not 0 <= rank < world:
            raise ExportError(f"RANK {rank} is not below WORLD_SIZE {world}")
        runs = listed_runs() if not args.configs else [os.path.abspath(c) for c in args.configs]
        if args.index is not None:
            if not 0 <= args.index < len(runs):
                raise ExportError(f"--index must be from 0 to {len(runs) - 1} (runs.txt has {len(runs)} runs), got {args.index}")
            runs = [runs[args.index]]
        elif args.all:
            runs = [r for i, r in enumerate(runs) if i % world == rank]
        if args.device == "auto":
            device = torch.device(f"cuda:{whole_env('LOCAL_RANK', 0)}" if torch.cuda.is_available() else "cpu")
        else:
            device = torch.device(args.device)
        dtype = torch.float64 if args.dtype == "float64" else torch.float32
        label = f"rank {rank}/{world} " if world > 1 else ""
        for path in runs:
            run(path if os.path.isabs(path) else in_export(path), dtype, device, label)
    except ExportError as e:
        print(f"train.py: {e}", file=sys.stderr)
        return EXIT_USAGE
    return 0


if __name__ == "__main__":
    sys.exit(main())
