#!/usr/bin/env python3
# -*- coding: utf-8 -*-
# Written by Celda (celda arena --export-torch); the same file for every grid.
"""Gathers the runs' results (results/rNNNN.jsonl) into one results.jsonl for the arena report.

  python3 merge.py [--into FILE]     (default: results.jsonl in this folder)

Only a result made for its run's current settings is taken (one written for another grid
exported into this folder is left out, and said). Records already in FILE stay as they are
and come first, so merging twice, or into a file the arena already wrote, adds only new runs.
Then `celda arena` with the grid's options and `--out` the folder of FILE writes the report,
running nothing that is already there.
"""
import argparse
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
EXIT_USAGE = 2


def key_of(record: dict) -> str:
    return json.dumps([record.get("cell"), record.get("task"), record.get("seed")])


def read_lines(path: str) -> list:
    """The records of a results.jsonl; a torn last line (a kill while writing) is dropped, as the arena does."""
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as f:
        text = f.read()
    lines = text.split("\n")
    unfinished = lines.pop()
    records = []
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        try:
            records.append(json.loads(line))
        except ValueError:
            if i == len(lines) - 1 and unfinished == "":
                print(f"merge.py: dropped the torn last line {i + 1} of {path}", file=sys.stderr)
                break
            raise SystemExit(f"merge.py: {path}, line {i + 1} is not JSON: fix or remove it")
    if unfinished.strip():
        print(f"merge.py: dropped the torn last line {len(lines) + 1} of {path}", file=sys.stderr)
    return records


def run_result(config_path: str):
    """(run id, its record or None, why it is missing)."""
    with open(os.path.join(HERE, config_path), encoding="utf-8") as f:
        config = json.load(f)
    path = os.path.join(HERE, config["result"])
    if not os.path.exists(path):
        return config["id"], None, "not run yet"
    records = read_lines(path)
    if len(records) != 1 or not isinstance(records[0], dict):
        return config["id"], None, f"{config['result']} does not hold one record"
    record = records[0]
    if any(record.get(k) != v for k, v in config["record"].items()):
        return config["id"], None, f"{config['result']} was made with other settings (an earlier grid?)"
    return config["id"], record, ""


def main() -> int:
    parser = argparse.ArgumentParser(description="Merge the runs' results into one results.jsonl for celda arena.")
    parser.add_argument("--into", default=os.path.join(HERE, "results.jsonl"), help="the results.jsonl to add to (default: results.jsonl here)")
    args = parser.parse_args()
    if os.path.isdir(args.into):
        print(f"merge.py: --into {args.into} is a folder; give the results.jsonl file in it", file=sys.stderr)
        return EXIT_USAGE
    with open(os.path.join(HERE, "runs.txt"), encoding="utf-8") as f:
        configs = [line.strip() for line in f if line.strip()]

    kept = read_lines(args.into)
    have = {key_of(r) for r in kept if isinstance(r, dict)}
    added, missing = [], []
    for config in configs:
        run_id, record, why = run_result(config)
        if record is None:
            missing.append(f"{run_id} ({why})")
        elif key_of(record) not in have:
            have.add(key_of(record))
            added.append(record)

    directory = os.path.dirname(os.path.abspath(args.into))
    os.makedirs(directory, exist_ok=True)
    temp = os.path.join(directory, f".{os.path.basename(args.into)}.{os.getpid()}.tmp")
    with open(temp, "w", encoding="utf-8") as f:
        for record in kept + added:
            f.write(json.dumps(record, ensure_ascii=False, allow_nan=False) + "\n")
        f.flush()
        os.fsync(f.fileno())
    os.replace(temp, args.into)

    print(f"merge.py: {len(added)} runs added to {args.into} ({len(kept)} were there); {len(missing)} of {len(configs)} runs have no result")
    for line in missing[:20]:
        print(f"  missing: {line}")
    if len(missing) > 20:
        print(f"  … and {len(missing) - 20} more")
    return 0


if __name__ == "__main__":
    sys.exit(main())
