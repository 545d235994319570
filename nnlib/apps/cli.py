"""The `nnlib-mnist` command: train the series' MNIST MLP or CNN from a terminal, and save it.

    nnlib-mnist                          # full MNIST, the MLP recipe of notebook 12
    nnlib-mnist --subset small           # the small subset shipped with nnlib, a few epochs
    nnlib-mnist --model cnn              # the CNN of notebook 14
    python -m nnlib.apps.cli --epochs 5 --save models/mnist_mlp.npz

Everything the run will read or write is checked before training starts, so a typo in a path
costs a second, not a finished training run: a user error prints one line on stderr and exits
with status 2 (argparse's convention), never a traceback.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import time
from pathlib import Path

from ..datasets.mnist_loader import MNISTNotFoundError, check_mnist_dir
from ..io import save
from .recipes import CNN_RECIPE, RECIPE, describe_recipe, train_mnist


class _Parser(argparse.ArgumentParser):
    """argparse, with a user error printed as one line (no usage block above it)."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _positive_int(text: str) -> int:
    """argparse type: a whole number >= 1 (the message names the bad value)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 1, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 1, got {value}")
    return value


def _writable_target(ap: _Parser, path: str) -> None:
    """Stop (exit 2) unless `path` can be written: its folder exists and is writable."""
    target = Path(path)
    if target.is_dir():
        ap.error(f"--save {path}: is a folder; give a file name such as {target / 'model.npz'}")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        ap.error(f"--save {path}: the folder {str(folder)!r} does not exist; create it first "
                 f"(mkdir -p {folder})")
    if not os.access(folder, os.W_OK):
        ap.error(f"--save {path}: the folder {str(folder)!r} is not writable")
    if target.exists() and not os.access(target, os.W_OK):
        ap.error(f"--save {path}: the file exists and is not writable")


def build_parser() -> _Parser:
    ap = _Parser(prog="nnlib-mnist", description="Train the nnlib MNIST MLP "
                                 "(notebook 12) or CNN (notebook 14) and print its test accuracy.")
    ap.add_argument("--model", choices=("mlp", "cnn"), default="mlp",
                    help="mlp: the recipe of notebook 12 (default); cnn: that of notebook 14")
    ap.add_argument("--epochs", type=_positive_int, default=None,
                    help=f"number of epochs (default {RECIPE.epochs} for the MLP, "
                         f"{CNN_RECIPE.epochs} for the CNN; fewer with --subset small)")
    ap.add_argument("--subset", choices=("full", "small"), default="full",
                    help="full: the 60,000 + 10,000 MNIST images (default); small: the subset "
                         "shipped with nnlib (no files needed)")
    ap.add_argument("--save", metavar="PATH", help="save the trained model (.npz, nl.save)")
    ap.add_argument("--data-dir", metavar="DIR",
                    help="folder with the four MNIST IDX files (default: $NNLIB_DATA_DIR)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--textbook", action="store_true",
                    help="train with the textbook code only (fit(fast=False)): slower, same numbers")
    ap.add_argument("--no-progress", action="store_true", help="no progress bar")
    return ap


def main(argv=None) -> int:
    """Parse, check every path, train the recipe, print the test accuracy, optionally save."""
    ap = build_parser()
    args = ap.parse_args(argv)
    if args.save:
        _writable_target(ap, args.save)
    if args.subset == "full":
        data_dir = args.data_dir if args.data_dir is not None else os.environ.get("NNLIB_DATA_DIR")
        if args.data_dir is not None or data_dir:
            try:
                check_mnist_dir(data_dir)
            except (MNISTNotFoundError, ValueError) as exc:
                where = "--data-dir" if args.data_dir is not None else "NNLIB_DATA_DIR"
                ap.error(f"{where} {data_dir}: {exc}")

    r = CNN_RECIPE if args.model == "cnn" else RECIPE
    print(describe_recipe(r) + (", small subset" if args.subset == "small" else ""))
    t0 = time.perf_counter()
    model, history, test_acc = train_mnist(subset=args.subset, epochs=args.epochs,
                                           data_dir=args.data_dir, seed=args.seed,
                                           progress=not args.no_progress, recipe=r,
                                           fast=not args.textbook)
    for e in history.epochs:
        print(f"epoch {e['epoch']:3d}  loss {e['loss']:.4f}  test acc {100 * e['val_acc']:6.2f} %"
              f"  train time {e['time']:6.1f} s")
    print(f"test accuracy: {100 * test_acc:.2f} %  (training {history.train_time:.1f} s, "
          f"total {time.perf_counter() - t0:.1f} s)")
    if args.save:
        path = save(model, args.save, test_acc=test_acc, epochs=len(history), seed=args.seed,
                    recipe=dataclasses.asdict(r))
        print(f"saved to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
