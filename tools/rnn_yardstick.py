"""What the compiled char-RNN yardsticks (numba_rnn.py, jax_rnn.py) share with numpy_rnn.py and
with each other: their command line, the symbols generated in blocks, the final JSON line; and
`require`, with which every yardstick (numpy_mlp.py too) says that its package is missing.

Not a script. The command line is checked with the standard library alone, before numpy or the
compiler's package is imported, so that a refused command line exits 2 (and a missing package
exits 3) wherever python3 runs.
"""
import json, sys

USAGE = "usage: {} TASK CYCLES SEED --fixed N [--vocab V] [--batch B] [--unroll T]"
OPTIONS = ("--fixed", "--vocab", "--batch", "--unroll")


def refuse(script, message):
    print(f"{script}: {message}", file=sys.stderr)
    sys.exit(2)


def parse(script, argv, package):
    """(package's module, task, cycles, seed, n, vocab, nb, unroll) from argv as numpy_rnn.py reads
    it. Exits 2 on what this yardstick does not run (no --fixed: there is no growth policy here),
    before anything is imported; then 3 if the package is not installed."""
    if len(argv) < 4:
        refuse(script, USAGE.format(script))
    opts = dict(zip(argv[4::2], argv[5::2]))
    if "--fixed" not in opts:
        refuse(script, "only --fixed N is supported (a fixed-size network: no growth policy)")
    for key in opts:
        if key not in OPTIONS:
            refuse(script, f"{key} is not supported (the cycles run compiled); {USAGE.format(script)}")
    module = require(package)
    from numpy_rnn import T, V  # the defaults, defined once
    try:
        task, cycles, seed = argv[1], int(argv[2]), int(argv[3])
        n, vocab = int(opts["--fixed"]), int(opts.get("--vocab", V))
        nb, unroll = int(opts.get("--batch", 1)), int(opts.get("--unroll", T))
    except ValueError as err:
        refuse(script, str(err))
    if task not in ("easy", "hard", "uniform"):
        refuse(script, f"unknown task {task!r} (easy, hard or uniform)")
    if min(n, nb, unroll, vocab) < 1 or cycles < 0:
        refuse(script, "--fixed, --batch, --unroll and --vocab take at least 1, CYCLES at least 0")
    if task != "uniform" and vocab < 4:
        refuse(script, f"the {task} task has 4 symbols: --vocab at least 4")
    return module, task, cycles, seed, n, vocab, nb, unroll


def require(package):
    """Imports package, or says on one line how to install it and exits 3 (a caller can skip the
    yardstick with that line)."""
    import importlib
    try:
        return importlib.import_module(package)
    except ImportError:
        print(f"{package} is not installed for this Python ({sys.executable} -m pip install {package})", file=sys.stderr)
        sys.exit(3)


class Blocks:
    """The symbols of up to `size` cycles at a time, from numpy_rnn.py's streams, in one array
    reused block after block: row b holds window b's symbols, the one before the block first, so
    that cycle c of the block reads columns c*T .. c*T + T (its T inputs and T targets)."""

    def __init__(self, task, seed, nb, vocab, unroll, size):
        import numpy as np
        from numpy_rnn import sources
        self.np, self.unroll, self.size = np, unroll, size
        self.srcs = sources(task, seed, nb, vocab)
        self.symbols = np.zeros((nb, size * unroll + 1), np.int64)
        self.symbols[:, 0] = [next(src) for src in self.srcs]
        self.last = 0  # the column of the last symbol given so far

    def fill(self, count):
        """The array with the next `count` (at most size) cycles' symbols; columns past them are stale."""
        from itertools import islice
        np, steps = self.np, count * self.unroll
        self.symbols[:, 0] = self.symbols[:, self.last]
        for row, src in zip(self.symbols, self.srcs):
            row[1:steps + 1] = np.fromiter(islice(src, steps), np.int64, steps)
        self.last = steps
        return self.symbols


def report(task, cycles, seconds, loss, neurons):
    print(json.dumps({"task": task, "cycles": cycles, "seconds": seconds,
                      "cycles_per_second": cycles / seconds, "loss": loss, "neurons": neurons}))
