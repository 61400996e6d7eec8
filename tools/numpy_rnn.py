#!/usr/bin/env python3
"""A plain numpy implementation of the method in docs/method.md (the char RNN with
output multipliers, Adagrad and the threshold/k growth policy, every constant at the
paper's default): the yardstick that a Python user would otherwise run, for speed
comparisons (python3 + numpy).

usage: numpy_rnn.py TASK CYCLES SEED [--log EVERY] [--fixed N] [--vocab V] [--batch B] [--unroll T]
TASK: easy, hard, or uniform (symbols drawn uniformly from V: the cost of a text's vocabulary).
--fixed N: a fixed-size network of N neurons (all multipliers 1, no growth policy).
--vocab V: the vocabulary of the uniform task (default 4). --unroll T: steps a window (40).
--batch B: B windows a cycle, each its own stream and hidden state (columns of H, N x B); loss
and gradients are the mean over the windows, L1 still counted once a step (docs/method.md#minibatches).
Prints one JSON line: cycles per second, final smooth loss, final hidden size.
"""
import json, sys, time
from rnn_yardstick import require

np = require("numpy")  # exit 3, saying how to install it: bench then skips this yardstick

T, V, LR, CLIP = 40, 4, 0.1, 5.0
K, TD, MMIN, PADD, PDEL, L1, NMAX = 1, 0.05, 0.025, 0.05, 0.25, 3e-5, 100
A, B, OPEN, CLOSE = 0, 1, 2, 3


def stream(task, rng, vocab):
    """Yields symbol indices forever."""
    if task == "uniform":
        while True:
            yield from rng.integers(vocab, size=4096).tolist()
    if task == "easy":
        while True:
            yield OPEN; yield A; yield B
            while rng.random() < 0.6:
                yield A; yield B
            yield CLOSE
    group = [A, B, B, A, A, B]
    while True:
        group = group[::-1]
        i = rng.integers(len(group))
        group[i] = 1 - group[i]
        yield OPEN
        yield from group
        yield CLOSE


def sources(task, seed, nb, vocab):
    """The symbol streams of the B windows: window b has its own generator, seeded seed + 1 + b."""
    return [stream(task, np.random.default_rng(seed + 1 + b), vocab) for b in range(nb)]


def initial_params(rng, n, vocab):
    """The starting weights of n neurons, drawn from rng in this order: Wxh, Whh, Why."""
    return {"Wxh": rng.standard_normal((n, vocab)) * .01, "Whh": rng.standard_normal((n, n)) * .01,
            "m": np.ones((n, 1)), "Why": rng.standard_normal((vocab, n)) * .01,
            "bh": np.zeros((n, 1)), "by": np.zeros((vocab, 1))}


def main():
    global T, V
    task, cycles, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    opts = dict(zip(sys.argv[4::2], sys.argv[5::2]))
    every = int(opts.get("--log", 0))
    fixed = int(opts.get("--fixed", 0))
    V = int(opts.get("--vocab", V))
    T = int(opts.get("--unroll", T))
    nb = int(opts.get("--batch", 1))
    rng = np.random.default_rng(seed)
    srcs = sources(task, seed, nb, V)
    # One window: the step as written for one column; B windows: sums over the columns, and the mean.
    cols = (lambda a: a) if nb == 1 else (lambda a: a.sum(axis=1, keepdims=True))
    n = fixed or 1
    P = initial_params(rng, n, V)
    M = {k: np.zeros_like(v) for k, v in P.items()}
    h = np.zeros((n, nb))
    prev = [next(src) for src in srcs]
    smooth = -np.log(1.0 / V) * T
    eye = np.eye(V)
    windows = np.arange(nb)
    t0 = time.perf_counter()
    for c in range(cycles):
        seq = np.array([[p] + [next(src) for _ in range(T)] for p, src in zip(prev, srcs)]).T  # (T + 1) x B
        prev = seq[-1].tolist()
        xs, hs, ps = {}, {-1: h}, {}
        loss = 0.0
        for t in range(T):
            xs[t] = eye[:, seq[t]]
            hs[t] = np.tanh(P["Wxh"] @ xs[t] + P["Whh"] @ hs[t - 1] + P["bh"])
            y = P["Why"] @ (P["m"] * hs[t]) + P["by"]
            e = np.exp(y - y.max(axis=0)); ps[t] = e / e.sum(axis=0)
            loss -= np.log(ps[t][seq[t + 1], windows]).sum()
        loss /= nb
        G = {k: np.zeros_like(v) for k, v in P.items()}
        dnext = np.zeros_like(h)
        for t in reversed(range(T)):
            dy = ps[t].copy(); dy[seq[t + 1], windows] -= 1
            if nb > 1:
                dy /= nb  # the mean over windows: every gradient below follows from dy
            G["Why"] += dy @ (P["m"] * hs[t]).T; G["by"] += cols(dy)
            dpost = P["Why"].T @ dy
            G["m"] += cols(dpost * hs[t]) + L1 * np.sign(P["m"])
            draw = (1 - hs[t] ** 2) * (dpost * P["m"] + dnext)
            G["bh"] += cols(draw); G["Wxh"] += draw @ xs[t].T; G["Whh"] += draw @ hs[t - 1].T
            dnext = P["Whh"].T @ draw
        h = hs[T - 1]
        for k in P:
            np.clip(G[k], -CLIP, CLIP, out=G[k])
            M[k] += G[k] ** 2
            P[k] -= LR * G[k] / np.sqrt(M[k] + 1e-8)
        P["m"][P["m"] < MMIN] = MMIN
        smooth = 0.999 * smooth + 0.001 * loss
        if every and (c + 1) % every == 0:
            print(json.dumps({"cycle": c + 1, "loss": smooth, "neurons": n}), flush=True)
        if fixed:
            continue
        # growth policy
        sub = np.where(np.abs(P["m"][:, 0]) <= TD)[0]
        keep = np.ones(n, bool)
        if len(sub) > K:
            rng.shuffle(sub)
            for i in sub[K:]:
                if rng.random() < PDEL:
                    keep[i] = False
        if not keep.all():
            for D in (P, M):
                D["Wxh"] = D["Wxh"][keep]; D["Whh"] = D["Whh"][keep][:, keep]
                D["m"] = D["m"][keep]; D["Why"] = D["Why"][:, keep]; D["bh"] = D["bh"][keep]
            h = h[keep]; n = int(keep.sum())
        nsub = int((np.abs(P["m"][:, 0]) <= TD).sum())
        if n < NMAX - 1 and ((nsub < K and rng.random() < PADD) or rng.random() < 1e-4):
            P["Wxh"] = np.vstack([P["Wxh"], rng.standard_normal((1, V)) * .01])
            P["Whh"] = np.hstack([np.vstack([P["Whh"], rng.standard_normal((1, n)) * .01]),
                                  rng.standard_normal((n + 1, 1)) * .01])
            P["m"] = np.vstack([P["m"], [[TD]]]); P["bh"] = np.vstack([P["bh"], [[0.0]]])
            P["Why"] = np.hstack([P["Why"], rng.standard_normal((V, 1)) * .01])
            M["Wxh"] = np.vstack([M["Wxh"], np.zeros((1, V))])
            M["Whh"] = np.pad(M["Whh"], ((0, 1), (0, 1)))
            M["m"] = np.vstack([M["m"], [[0.0]]]); M["bh"] = np.vstack([M["bh"], [[0.0]]])
            M["Why"] = np.hstack([M["Why"], np.zeros((V, 1))])
            h = np.vstack([h, np.zeros((1, nb))]); n += 1
    dt = time.perf_counter() - t0
    print(json.dumps({"task": task, "cycles": cycles, "seconds": dt,
                      "cycles_per_second": cycles / dt, "loss": smooth, "neurons": n}))


if __name__ == "__main__":
    main()
