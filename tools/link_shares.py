#!/usr/bin/env python3
"""Which links a char-rnn learned to use (docs/beyond.md#modulatory-links): for each network written
by `diffstruct export`, its units and the additive share a of their recurrent input
(docs/method.md#links; 1 with additive links, 0 with modulatory ones, sigmoid(mix) learned), as the
plain mean over units and as the mean weighted by each unit's multiplier |m| (a unit in the reserve
barely acts, so it barely counts).

usage: link_shares.py NET.json [NET.json ...]
Prints one JSON line per file: {"file": ..., "units": ..., "meanShare": ..., "weightedShare": ...}.
"""
import json, sys
import numpy as np

from load_export import additive_shares, parameters


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    for file in sys.argv[1:]:
        net = json.load(open(file))
        if net.get("format") != "diffstruct-network" or net["model"]["type"] != "char-rnn":
            sys.exit(f"{file}: not a char-rnn written by diffstruct export")
        share = additive_shares(net)
        weight = np.abs(parameters(net)["hidden"]["m"][:, 0])
        print(json.dumps({"file": file, "units": int(share.size), "meanShare": float(share.mean()),
                          "weightedShare": float((share * weight).sum() / weight.sum())}))


if __name__ == "__main__":
    main()
