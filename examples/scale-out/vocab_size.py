#!/usr/bin/env python3
"""Prints the vocabulary size of a UTF-8 text file: the number of distinct characters.

    python3 examples/scale-out/vocab_size.py your.txt            # → 59
    python3 examples/scale-out/vocab_size.py your.txt --chars    # also lists them

Export the cell with that many inputs (celda export CELL --to pytorch --input N ...);
train_ddp.py builds the same vocabulary (sorted distinct characters, line endings kept as in the file).
"""
import sys


def main(argv) -> int:
    args = [a for a in argv if a != "--chars"]
    if len(args) != 1:
        print("usage: vocab_size.py FILE [--chars]", file=sys.stderr)
        return 2
    try:
        with open(args[0], encoding="utf-8", newline="") as f:
            vocab = sorted(set(f.read()))
    except (OSError, UnicodeDecodeError) as e:
        print(f"error: cannot read {args[0]} as UTF-8 text: {e}", file=sys.stderr)
        return 1
    print(len(vocab))
    if "--chars" in argv:
        print(repr("".join(vocab)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
