"""Corner plot of one target of an ExoNPE posterior file (docs/posterior-format.md); run via scripts/plot-corner."""
import argparse
import json
import textwrap
import sys

import h5py
import hdf5plugin  # noqa: F401  (registers the LZ4 filter, id 32004)
import matplotlib

matplotlib.use("Agg")
import corner  # noqa: E402
import numpy as np  # noqa: E402


def resolve_target(f, path, target):
    """The row index of `target` (a target id or a row index) in an open posterior file; exits with a message if none."""
    ids = [i.decode() if isinstance(i, bytes) else i for i in f["id"][...]]
    if target in ids:
        return ids.index(target), ids
    if str(target).isdigit() and int(target) < len(ids):
        return int(target), ids
    sys.exit(f"{path}: no target '{target}' (ids or 0..{len(ids) - 1})")


def check_format(f, path):
    if f.attrs.get("format") != "exonpe-posterior":
        sys.exit(f"{path}: not an exonpe-posterior file")
    version = int(f.attrs.get("format_version", 0))
    if version not in (1, 2):
        sys.exit(f"{path}: posterior format version {version}; this script reads versions 1 and 2")


def draw(f, t, out, bins=None, unweighted=False, dpi=110):
    """Draws target t's corner plot from an open posterior file to `out` (PNG). Returns False (and says why on
    stderr) when the target was not sampled."""
    ids = [i.decode() if isinstance(i, bytes) else i for i in f["id"][...]]
    names = json.loads(f.attrs["parameter_names"])
    units = json.loads(f.attrs["parameter_units"])
    samples = f["samples"][t].astype(np.float64)
    weights = None
    if "log_weights" in f and not unweighted:
        weights = np.exp(f["log_weights"][t].astype(np.float64))
    truth = f["theta_true"][t] if "theta_true" in f else None
    flags = f["flag_reasons"][t]
    flags = flags.decode() if isinstance(flags, bytes) else flags
    ess = float(f["ess"][t]) if "ess" in f else None
    model = f.attrs["model_reference"]

    if not np.isfinite(samples).all():
        print(f"target {ids[t]} was not sampled: {flags}", file=sys.stderr)
        return False
    if weights is not None and not (weights.sum() > 0):
        print(f"target {ids[t]}: every importance weight is zero; plotting q unweighted", file=sys.stderr)
        weights = None
    # With a handful of effective samples a weighted corner plot is a few points: show q, and say why.
    degenerate = False
    if weights is not None and (weights.sum() ** 2 / (weights ** 2).sum()) < 5:
        print(f"target {ids[t]}: importance weights are degenerate (ESS < 5); plotting q unweighted", file=sys.stderr)
        weights, degenerate = None, True
    # Rice's rule on the effective sample size: 2·n^(1/3) bins, so weighted posteriors with a few hundred effective
    # samples are not drawn as noise. 2-D histograms are smoothed by one bin for the same reason.
    n_eff = (weights.sum() ** 2 / (weights ** 2).sum()) if weights is not None else len(samples)
    bins = bins or int(np.clip(2 * n_eff ** (1 / 3), 10, 40))
    labels = [f"{n} [{u}]" if u else n for n, u in zip(names, units)]
    # Ranges from the samples themselves (the central 99.9 %), never from the weights: heavily weighted draws would
    # otherwise collapse a range to a point. Parameters with (nearly) no spread are widened by a hair.
    ranges = []
    for j in range(samples.shape[1]):
        lo, hi = np.percentile(samples[:, j], [0.05, 99.95])
        pad = 1e-9 * max(abs(lo), abs(hi), 1.0)
        ranges.append((lo - pad, hi + pad) if hi - lo < pad else (lo, hi))
    figure = corner.corner(samples, weights=weights, labels=labels, truths=truth, truth_color="tab:red", bins=bins, smooth=1.0,
                           range=ranges, quantiles=[0.16, 0.5, 0.84], show_titles=True, title_fmt=".3g",
                           title_kwargs={"fontsize": 9}, label_kwargs={"fontsize": 9}, plot_datapoints=weights is None)
    if weights is not None:
        kind = f"importance-weighted, ESS {ess:.0f}"
    elif degenerate:
        kind = f"flow samples (importance weights degenerate, ESS {ess:.1f})"
    else:
        kind = "flow samples (unweighted)"
    title = f"{ids[t]} — {model} — {len(samples)} samples, {kind}"
    if truth is not None:
        title += " — red: truth"
    if flags:
        # Reasons can be long; wrap them so the title stays inside the figure.
        title += "\n" + "\n".join(textwrap.wrap(f"flags: {flags}", width=110))
    figure.suptitle(title, fontsize=11, y=1.02)
    figure.savefig(out, dpi=dpi, bbox_inches="tight")
    import matplotlib.pyplot as plt
    plt.close(figure)
    return True


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("posterior", help="posterior file written by npe-infer")
    parser.add_argument("target", help="row index or target id")
    parser.add_argument("--out", help="PNG to write (default: <posterior>-<id>.png)")
    parser.add_argument("--bins", type=int, help="histogram bins (default: from the effective sample size)")
    parser.add_argument("--unweighted", action="store_true", help="ignore importance weights")
    args = parser.parse_args()

    with h5py.File(args.posterior, "r") as f:
        check_format(f, args.posterior)
        t, ids = resolve_target(f, args.posterior, args.target)
        out = args.out or f"{args.posterior.rsplit('.', 1)[0]}-{ids[t]}.png"
        if not draw(f, t, out, bins=args.bins, unweighted=args.unweighted):
            sys.exit(1)
    print(out)


if __name__ == "__main__":
    main()
