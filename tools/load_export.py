#!/usr/bin/env python3
"""Loads a network written by `diffstruct export` (docs/using-a-trained-network.md) with numpy and
computes its loss on an example, as the model defines it: a char-rnn's summed cross-entropy over a
window of symbols (from a zero hidden state), or a feedforward network's mean loss over rows.

usage: load_export.py NET.json EXAMPLE.json
EXAMPLE.json: {"symbols": [0, 3, 1, ...]} for a char-rnn (each symbol predicts the next), or
{"inputs": [[...], ...], "labels": [...]} (classes) / {"inputs": [...], "targets": [[...], ...]}
(values) for a feedforward network; inputs as the task encoded them.
Prints one JSON line: {"loss": ...}.
"""
import json, sys
import numpy as np


def parameters(net):
    """{layer id: {parameter name: matrix (rows x cols)}}: only the live units were exported."""
    return {layer["id"]: {p["name"]: np.array(p["values"], dtype=np.float64).reshape(p["rows"], p["cols"])
                          for p in layer["parameters"]} for layer in net["layers"]}


def additive_shares(net):
    """Each hidden unit's additive share of its recurrent input: 1 (additive links), 0 (modulatory), sigmoid(mix) (learned)."""
    hidden = parameters(net)["hidden"]
    n = hidden["bh"].shape[0]
    if "mix" in hidden:
        return 1 / (1 + np.exp(-hidden["mix"][:, 0]))
    return np.full(n, 0.0 if "Mhh" in hidden else 1.0)


def char_rnn_loss(net, symbols):
    """s_t = Wxh x_t + bh + a * (Whh r), g_t = 1 + (1 - a) * tanh(Mhh r), h_t = tanh(g_t * s_t), r = h_{t-1}
    (or m * h_{t-1}), a the additive shares (1 and no Mhh: the paper's h_t = tanh(Wxh x_t + Whh r + bh));
    y_t = Why (m * h_t) + by. docs/method.md#links."""
    p = parameters(net)
    hidden, output = p["hidden"], p["output"]
    Wxh, bh, m = hidden["Wxh"], hidden["bh"][:, 0], hidden["m"][:, 0]
    n = Wxh.shape[0]
    Whh, Mhh = hidden.get("Whh", np.zeros((n, n))), hidden.get("Mhh", np.zeros((n, n)))
    share = additive_shares(net)
    Why, by = output["Why"], output["by"][:, 0]
    on_recurrent = net["model"]["options"].get("multiplierOnRecurrent", False)
    h = np.zeros(n)
    loss = 0.0
    for x, target in zip(symbols[:-1], symbols[1:]):
        r = m * h if on_recurrent else h
        h = np.tanh((1 + (1 - share) * np.tanh(Mhh @ r)) * (Wxh[:, x] + bh + share * (Whh @ r)))
        y = Why @ (m * h) + by
        top = y.max()
        loss += top + np.log(np.exp(y - top).sum()) - y[target]
    return loss


ACTIVATIONS = {"tanh": np.tanh, "relu": lambda z: np.maximum(z, 0), "identity": lambda z: z}


def feedforward_loss(net, example):
    """Each hidden layer: m * f(x W^T + b); the output layer: x W^T + b; softmax cross-entropy or squared error."""
    p = parameters(net)
    f = ACTIVATIONS[net["model"]["options"]["activation"]]
    x = np.array(example["inputs"], dtype=np.float64)
    for layer in net["layers"][:-1]:
        q = p[layer["id"]]
        x = q["m"][:, 0] * f(x @ q["W"].T + q["b"][:, 0])
    out = p[net["layers"][-1]["id"]]
    y = x @ out["W"].T + out["b"][:, 0]
    if net["task"].get("targets") == "values":
        return float(np.mean((y - np.array(example["targets"], dtype=np.float64)) ** 2))
    labels = np.array(example["labels"])
    top = y.max(axis=1, keepdims=True)
    log_sum = top[:, 0] + np.log(np.exp(y - top).sum(axis=1))
    return float(np.mean(log_sum - y[np.arange(len(labels)), labels]))


def main():
    net = json.load(open(sys.argv[1]))
    example = json.load(open(sys.argv[2]))
    if net.get("format") != "diffstruct-network" or net.get("version") != 1:
        sys.exit(f"{sys.argv[1]}: not a diffstruct-network version 1 file")
    kind = net["model"]["type"]
    if kind == "char-rnn":
        loss = char_rnn_loss(net, example["symbols"])
    elif kind == "feedforward":
        loss = feedforward_loss(net, example)
    else:
        sys.exit(f"{sys.argv[1]}: this script reads char-rnn and feedforward networks, not {kind}")
    print(json.dumps({"loss": float(loss)}))


if __name__ == "__main__":
    main()
