"""Runs exported Celda PyTorch modules for the parity test (tests/export/pytorch.test.ts).

Usage: /usr/bin/python3 tests/export/parity.py CASE_DIR [CASE_DIR ...]

Each CASE_DIR holds the exported celda_cell.py and weights.json, and a case.json:
  {"xs": [T][B][X], "h0": [[B][size] per state] or null, "gradOutputs": [T][B][Y],
   "dtype": "float64" | "float32", "native": bool, "batchFirst": bool (optional)}
For each case it builds CeldaSequence (or, with "native", CeldaNativeLSTM/GRU), loads the
weights, runs the sequence, takes L = sum(gradOutputs * ys), backpropagates with autograd,
and checks that torch.jit.script(CeldaCell()) works. Prints one JSON list, one object per case:
  {"outputs", "finalStates", "grads": {name: flat list}, "initialStateGrads": [...] or null,
   "scripted": bool, "scriptError"?, "scriptedMaxDiff"?, "sequenceScripted", "nativeScripted"?, "nativeGrads"?}
or {"error": traceback} when the case failed.
"""
import importlib.util
import json
import os
import sys
import traceback

import torch


def flat(t):
    return t.detach().to(torch.float64).reshape(-1).tolist()


def nested(t):
    return t.detach().to(torch.float64).tolist()


def load_module(directory, index):
    name = "celda_cell_case_%d" % index
    spec = importlib.util.spec_from_file_location(name, os.path.join(directory, "celda_cell.py"))
    module = importlib.util.module_from_spec(spec)
    # TorchScript resolves names through sys.modules.
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def tensor(data, dtype, shape):
    return torch.tensor(data, dtype=dtype).reshape(shape)


def run_case(directory, index):
    with open(os.path.join(directory, "case.json"), encoding="utf-8") as f:
        case = json.load(f)
    dtype = {"float64": torch.float64, "float32": torch.float32}[case["dtype"]]
    module = load_module(directory, index)
    weights = os.path.join(directory, "weights.json")
    T = len(case["xs"])
    B = len(case["xs"][0])
    xs = tensor(case["xs"], dtype, (T, B, module.INPUT_SIZE))
    gs = tensor(case["gradOutputs"], dtype, (T, B, module.OUTPUT_SIZE))
    h0 = None
    if case.get("h0") is not None:
        h0 = [tensor(h, dtype, (B, n)).requires_grad_(True) for h, n in zip(case["h0"], module.STATE_SIZES)]
    batch_first = bool(case.get("batchFirst", False))
    result = {}

    if case.get("native"):
        cls = getattr(module, "CeldaNativeLSTM", None) or getattr(module, "CeldaNativeGRU")
        model = cls(batch_first=batch_first).to(dtype)
        module.load_native_weights(model, weights)
        params = model.rnn.named_parameters()
        try:
            torch.jit.script(cls(batch_first=batch_first))
            result["nativeScripted"] = True
        except Exception as e:  # reported, not fatal: only CeldaCell is required to script
            result["nativeScripted"] = False
            result["nativeScriptError"] = str(e).splitlines()[0] if str(e) else type(e).__name__
    else:
        model = module.CeldaSequence(batch_first=batch_first).to(dtype)
        module.load_weights(model.cell, weights)
        params = model.cell.named_parameters()
    params = list(params)

    ys, final = model(xs.transpose(0, 1) if batch_first else xs, h0)
    if batch_first:
        ys = ys.transpose(0, 1)
    loss = (gs * ys).sum()
    if loss.requires_grad:  # the output may read no parameter and no initial state
        loss.backward()
    result["outputs"] = nested(ys)
    result["finalStates"] = [nested(s) for s in final]
    result["finalStateShapes"] = [list(s.shape) for s in final]
    # A parameter the output never reads gets no .grad: its gradient is zero.
    result["grads"] = {name: flat(p.grad) if p.grad is not None else [0.0] * p.numel() for name, p in params}
    result["initialStateGrads"] = None if h0 is None else [flat(h.grad) if h.grad is not None else [0.0] * h.numel() for h in h0]
    result["dtype"] = str(ys.dtype)

    # TorchScript: the one-step cell must script; run it over the sequence and compare.
    try:
        cell = module.CeldaCell().to(dtype)
        module.load_weights(cell, weights)
        scripted = torch.jit.script(cell)
        result["scripted"] = True
        if not case.get("native"):
            with torch.no_grad():
                # initial_states is not compiled into the scripted cell (no @torch.jit.export): the eager one gives them.
                states = [h.detach() for h in h0] if h0 is not None else cell.initial_states(xs[0])
                diff = 0.0
                for t in range(T):
                    y, states = scripted(xs[t], states)
                    diff = max(diff, (y - ys[t]).abs().max().item() if y.numel() else 0.0)
            result["scriptedMaxDiff"] = diff
        result["scriptedInitialStates"] = hasattr(scripted, "initial_states")
    except Exception as e:
        result["scripted"] = False
        result["scriptError"] = traceback.format_exc(limit=3) or str(e)
    try:
        torch.jit.script(module.CeldaSequence())
        result["sequenceScripted"] = True
    except Exception as e:
        result["sequenceScripted"] = False
        result["sequenceScriptError"] = str(e).splitlines()[0] if str(e) else type(e).__name__
    return result


def main(argv):
    torch.set_num_threads(1)
    results = []
    for index, directory in enumerate(argv):
        try:
            results.append(run_case(directory, index))
        except Exception:
            results.append({"error": traceback.format_exc()})
    json.dump(results, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1:])
