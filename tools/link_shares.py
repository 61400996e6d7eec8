#!/usr/bin/env python3
"""Which links a char-rnn learned to use (docs/beyond.md#modulatory-links): for each network written
by `diffstruct export`, its units and the additive share a of their recurrent input
(docs/method.md#links; 1 with additive links, 0 with modulatory ones, sigmoid(mix) learned), as the
plain mean over units and as the mean weighted by each unit's multiplier |m| (a unit in the reserve
barely acts, so it barely counts).

usage: link_shares.py [--summary] NET.json [NET.json ...]
Prints one JSON line per file: {"file": ..., "units": ..., "meanShare": ..., "weightedShare": ...};
with --summary, instead one line of the median and quartiles of each over the files (the seeds).
"""
import json, sys
import numpy as np

from load_export import additive_shares, parameters


def shares(file):
    net = json.load(open(file))
    if net.get("format") != "diffstruct-network" or net["model"]["type"] != "char-rnn":
        sys.exit(f"{file}: not a char-rnn written by diffstruct export")
    share = additive_shares(net)
    weight = np.abs(parameters(net)["hidden"]["m"][:, 0])
    return {"file": file, "units": int(share.size), "meanShare": float(share.mean()),
            "weightedShare": float((share * weight).sum() / weight.sum())}


def quartiles(values):
    """Median and quartiles, interpolated linearly as the report's summaries are."""
    q25, median, q75 = np.percentile(values, [25, 50, 75])
    return {"median": float(median), "q25": float(q25), "q75": float(q75)}


def main():
    summary = "--summary" in sys.argv[1:]
    files = [a for a in sys.argv[1:] if a != "--summary"]
    if not files:
        sys.exit(__doc__)
    rows = [shares(file) for file in files]
    if summary:
        print(json.dumps({"files": len(rows), **{key: quartiles([r[key] for r in rows])
                                                 for key in ("units", "meanShare", "weightedShare")}}))
        return
    for row in rows:
        print(json.dumps(row))


if __name__ == "__main__":
    main()
