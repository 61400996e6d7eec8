#!/usr/bin/env python3
"""numpy_rnn.py's training cycle at a fixed size, compiled with numba: the yardstick that a
performance-minded Python user would write with explicit loops (python3 + numpy + numba).

The whole cycle (forward over the window, BPTT, clipping, Adagrad, the L1 sign term on the
multipliers m and their floor at MMIN) is one @njit loop nest over arrays allocated once, float64,
fastmath off (no reassociation, no fused multiply-add: every sum in the order it is written), one
thread.
The symbols come from numpy_rnn.py's streams and the starting weights from its rng in its order,
so for the same arguments this computes numpy_rnn.py's trajectory (to rounding: see
tools/yardsticks.spec.mjs).

usage: numba_rnn.py TASK CYCLES SEED --fixed N [--vocab V] [--batch B] [--unroll T]
TASK, --vocab, --batch, --unroll: as numpy_rnn.py. Only --fixed N (no growth policy): without it,
exit 2. Exit 3 when numba is not installed.
Timed: the CYCLES cycles, including the generation of their symbols (in Python, in blocks of
BLOCK cycles), after a warm-up call that compiles the kernel. Prints one JSON line: cycles per
second, final smooth loss, hidden size.
"""
import math, os, sys, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from rnn_yardstick import Blocks, parse, report  # noqa: E402

BLOCK = 256  # cycles of symbols generated at a time


# The kernel: plain Python in numba's subset, compiled by main() (numba is imported only there):
# njit(fastmath=False, cache=True), the compiled code cached on disk beside this file (so
# numpy_rnn.py's constants are arguments, never compile-time constants a cache could keep stale);
# math's tanh, exp, log, sqrt are libm's.


def adagrad(w, acc, g, LR, CLIP):
    """Clips g, adds its square to acc, steps w; g is zeroed for the next cycle (flat views)."""
    for e in range(w.size):
        ge = min(max(g[e], -CLIP), CLIP)
        acc[e] += ge * ge
        w[e] -= LR * ge / math.sqrt(acc[e] + 1e-8)
        g[e] = 0.0


def cycles(sym, count, P, M, G, h, WhhT, hs, ps, pre, dnext, draw, dpost, dy, gv, smooth, constants):
    """`count` cycles on the windows of `sym` (B x (count * T + 1)); P, M, G: (Wxh, Whh, m,
    Why, bh, by) of the weights, Adagrad's sums, the gradients (kept zero between cycles).
    h: B x n, the hidden states carried from cycle to cycle; WhhT ... gv: scratch arrays.
    constants: numpy_rnn.py's (LR, CLIP, L1, MMIN). Returns the smooth loss."""
    LR, CLIP, L1, MMIN = constants
    Wxh, Whh, m, Why, bh, by = P
    MWxh, MWhh, Mm, MWhy, Mbh, Mby = M
    GWxh, GWhh, Gm, GWhy, Gbh, Gby = G
    T, nb, n = hs.shape[0] - 1, hs.shape[1], hs.shape[2]
    V = Why.shape[0]
    for c in range(count):
        base = c * T
        for i in range(n):
            for j in range(n):
                WhhT[j, i] = Whh[i, j]
        for b in range(nb):
            for i in range(n):
                hs[0, b, i] = h[b, i]
        # forward
        loss = 0.0
        for t in range(T):
            logs = 0.0
            for b in range(nb):
                x = sym[b, base + t]
                prev = hs[t, b]
                cur = hs[t + 1, b]
                # Whh @ prev as a sum of Whh's columns (the rows of WhhT) into pre, not into hs: each
                # pre[i] is summed over j in order, as a dot would, but the inner loop is no
                # reduction and writes no array it reads, so it vectorizes with fastmath off.
                for i in range(n):
                    pre[i] = 0.0
                for j in range(n):
                    hj = prev[j]
                    for i in range(n):
                        pre[i] += WhhT[j, i] * hj
                for i in range(n):
                    cur[i] = math.tanh(Wxh[i, x] + pre[i] + bh[i])
                p = ps[t, b]
                top = -math.inf
                for v in range(V):
                    s = 0.0
                    for i in range(n):
                        s += Why[v, i] * (m[i] * cur[i])
                    p[v] = s + by[v]
                    if p[v] > top:
                        top = p[v]
                total = 0.0
                for v in range(V):
                    p[v] = math.exp(p[v] - top)
                    total += p[v]
                for v in range(V):
                    p[v] = p[v] / total
                logs += math.log(p[sym[b, base + t + 1]])
            loss -= logs
        loss /= nb
        # backward through time
        for b in range(nb):
            for i in range(n):
                dnext[b, i] = 0.0
        for t in range(T - 1, -1, -1):
            for i in range(n):
                gv[0, i] = 0.0  # this step's sums over the windows: m, bh
                gv[1, i] = 0.0
            for v in range(V):
                gv[2, v] = 0.0  # by
            for b in range(nb):
                x, target = sym[b, base + t], sym[b, base + t + 1]
                cur, prev = hs[t + 1, b], hs[t, b]
                for v in range(V):
                    dy[v] = ps[t, b, v]
                dy[target] -= 1.0
                if nb > 1:
                    for v in range(V):
                        dy[v] /= nb  # the mean over windows: every gradient below follows from dy
                # (scalars hoisted out of inner loops, whose arrays numba cannot tell apart)
                for i in range(n):
                    pre[i] = m[i] * cur[i]
                for v in range(V):
                    d = dy[v]
                    gv[2, v] += d
                    for i in range(n):
                        GWhy[v, i] += d * pre[i]
                for i in range(n):
                    dpost[i] = 0.0
                for v in range(V):
                    d = dy[v]
                    for i in range(n):
                        dpost[i] += Why[v, i] * d
                dn = dnext[b]
                for i in range(n):
                    gv[0, i] += dpost[i] * cur[i]
                    draw[i] = (1.0 - cur[i] ** 2) * (dpost[i] * m[i] + dn[i])
                    gv[1, i] += draw[i]
                    GWxh[i, x] += draw[i]
                for i in range(n):
                    d = draw[i]
                    for j in range(n):
                        GWhh[i, j] += d * prev[j]
                for j in range(n):
                    dn[j] = 0.0
                for i in range(n):
                    d = draw[i]
                    for j in range(n):
                        dn[j] += Whh[i, j] * d
            for i in range(n):
                Gm[i] += gv[0, i] + L1 * (1.0 if m[i] > 0 else (-1.0 if m[i] < 0 else 0.0))
                Gbh[i] += gv[1, i]
            for v in range(V):
                Gby[v] += gv[2, v]
        for b in range(nb):
            for i in range(n):
                h[b, i] = hs[T, b, i]
        # clipping, Adagrad, the floor of m
        adagrad(Wxh.reshape(Wxh.size), MWxh.reshape(Wxh.size), GWxh.reshape(Wxh.size), LR, CLIP)
        adagrad(Whh.reshape(Whh.size), MWhh.reshape(Whh.size), GWhh.reshape(Whh.size), LR, CLIP)
        adagrad(m, Mm, Gm, LR, CLIP)
        adagrad(Why.reshape(Why.size), MWhy.reshape(Why.size), GWhy.reshape(Why.size), LR, CLIP)
        adagrad(bh, Mbh, Gbh, LR, CLIP)
        adagrad(by, Mby, Gby, LR, CLIP)
        for i in range(n):
            if m[i] < MMIN:
                m[i] = MMIN
        smooth = 0.999 * smooth + 0.001 * loss
    return smooth


def main():
    numba, task, count, seed, n, vocab, nb, unroll = parse("numba_rnn.py", sys.argv, "numba")
    import numpy as np
    from numpy_rnn import CLIP, L1, LR, MMIN, initial_params
    global adagrad  # compiled first, so that cycles() compiles calling the compiled one
    adagrad = numba.njit(fastmath=False, cache=True)(adagrad)
    run = numba.njit(fastmath=False, cache=True)(cycles)
    constants = (LR, CLIP, L1, MMIN)
    init = initial_params(np.random.default_rng(seed), n, vocab)
    keys = ("Wxh", "Whh", "m", "Why", "bh", "by")
    P = tuple(init[k][:, 0].copy() if k in ("m", "bh", "by") else init[k] for k in keys)  # vectors 1-d
    M = tuple(np.zeros_like(w) for w in P)
    G = tuple(np.zeros_like(w) for w in P)
    h = np.zeros((nb, n))
    # WhhT, hs, ps, pre, dnext, draw, dpost, dy, gv: allocated once
    scratch = (np.zeros((n, n)), np.zeros((unroll + 1, nb, n)), np.zeros((unroll, nb, vocab)),
               np.zeros(n), np.zeros((nb, n)), np.zeros(n), np.zeros(n), np.zeros(vocab),
               np.zeros((3, max(n, vocab))))
    blocks = Blocks(task, seed, nb, vocab, unroll, min(BLOCK, max(count, 1)))
    smooth = -np.log(1.0 / vocab) * unroll
    run(blocks.symbols, 0, P, M, G, h, *scratch, smooth, constants)  # compiles; no cycle
    t0 = time.perf_counter()
    done = 0
    while done < count:
        todo = min(blocks.size, count - done)
        smooth = run(blocks.fill(todo), todo, P, M, G, h, *scratch, smooth, constants)
        done += todo
    report(task, count, time.perf_counter() - t0, smooth, n)


if __name__ == "__main__":
    main()
