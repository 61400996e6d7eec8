#!/usr/bin/env python3
"""numpy_rnn.py's training cycle at a fixed size, in JAX: the yardstick that a performance-minded
Python user would write with jax.grad and jit (python3 + numpy + jax, CPU, one thread, float64).

The loss is a lax.scan over the window; one jitted step takes its gradient (jax.grad), adds the L1
sign term on the multipliers m (counted once a step, as numpy_rnn.py does), clips, steps Adagrad
and floors m at MMIN; a lax.fori_loop runs the cycles of a block of symbols in one call. The
symbols come from numpy_rnn.py's streams and the starting weights from its rng in its order, so
for the same arguments this computes numpy_rnn.py's trajectory (to rounding: see
tools/yardsticks.spec.mjs).

usage: jax_rnn.py TASK CYCLES SEED --fixed N [--vocab V] [--batch B] [--unroll T]
TASK, --vocab, --batch, --unroll: as numpy_rnn.py. Only --fixed N (no growth policy): without it,
exit 2. Exit 3 when jax is not installed.
Timed: the CYCLES cycles, including the generation of their symbols (in Python, in blocks of
BLOCK cycles) and their copy to the device, after a warm-up call that compiles the block; the
clock stops once the result is ready (block_until_ready). Prints one JSON line: cycles per
second, final smooth loss, hidden size.
"""
import os, sys, time

# One CPU thread, set before jax is imported.
os.environ["XLA_FLAGS"] = "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1"
os.environ["JAX_PLATFORMS"] = "cpu"
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from rnn_yardstick import Blocks, parse, report  # noqa: E402

BLOCK = 256  # cycles of symbols generated (and run in one call) at a time


def block_function(jax, unroll, nb):
    """jit(state, symbols, count) -> state after `count` cycles; state = (P, M, h, smooth)."""
    import jax.numpy as jnp
    from jax import lax
    from numpy_rnn import CLIP, L1, LR, MMIN
    windows = jnp.arange(nb)

    def window_loss(P, h, seq):
        """The window's loss (mean over its B columns) and the hidden state at its end."""
        def step(h, xy):
            x, y = xy
            h = jnp.tanh(P["Wxh"][:, x] + P["Whh"] @ h + P["bh"])
            logits = P["Why"] @ (P["m"] * h) + P["by"]
            return h, -jax.nn.log_softmax(logits, axis=0)[y, windows].sum()
        h, losses = lax.scan(step, h, (seq[:-1], seq[1:]))
        return losses.sum() / nb, h

    grad = jax.value_and_grad(window_loss, has_aux=True)

    def cycle(c, state):
        P, M, h, smooth, symbols = state
        seq = lax.dynamic_slice(symbols, (0, c * unroll), (nb, unroll + 1)).T  # (T + 1) x B
        (loss, h), G = grad(P, h, seq)
        G = dict(G, m=G["m"] + unroll * L1 * jnp.sign(P["m"]))
        G = {k: jnp.clip(g, -CLIP, CLIP) for k, g in G.items()}
        M = {k: M[k] + G[k] ** 2 for k in M}
        P = {k: P[k] - LR * G[k] / jnp.sqrt(M[k] + 1e-8) for k in P}
        P["m"] = jnp.maximum(P["m"], MMIN)
        return P, M, h, 0.999 * smooth + 0.001 * loss, symbols

    @jax.jit
    def run(state, symbols, count):
        P, M, h, smooth, _ = lax.fori_loop(0, count, cycle, (*state, symbols))
        return P, M, h, smooth

    return run


def main():
    jax, task, count, seed, n, vocab, nb, unroll = parse("jax_rnn.py", sys.argv, "jax")
    jax.config.update("jax_enable_x64", True)
    import jax.numpy as jnp
    import numpy as np
    from numpy_rnn import initial_params
    run = block_function(jax, unroll, nb)
    P = {k: jnp.asarray(w) for k, w in initial_params(np.random.default_rng(seed), n, vocab).items()}
    M = {k: jnp.zeros_like(w) for k, w in P.items()}
    state = (P, M, jnp.zeros((n, nb)), jnp.asarray(-np.log(1.0 / vocab) * unroll))
    blocks = Blocks(task, seed, nb, vocab, unroll, min(BLOCK, max(count, 1)))
    jax.block_until_ready(run(state, blocks.symbols, 0))  # compiles; no cycle
    t0 = time.perf_counter()
    done = 0
    while done < count:
        todo = min(blocks.size, count - done)
        # A copy: on CPU jax may alias a numpy buffer, and the call returns before it has run.
        state = run(state, jnp.array(blocks.fill(todo)), todo)
        done += todo
    jax.block_until_ready(state)
    report(task, count, time.perf_counter() - t0, float(state[3]), n)


if __name__ == "__main__":
    main()
