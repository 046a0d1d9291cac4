"""Posterior predictive plot of one target of an ExoNPE posterior file (docs/posterior-format.md, version 2 with the
predictive check): the observed spectrum with 1σ error bars over the predictive median and its 1σ/2σ bands, and a
panel of the residuals against the median in units of σ. Run via scripts/plot-ppc."""
import argparse
import json
import textwrap
import sys

import h5py
import hdf5plugin  # noqa: F401  (registers the LZ4 filter, id 32004)
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.ticker  # noqa: E402
import numpy as np  # noqa: E402

from plot_corner import check_format, resolve_target  # noqa: E402


def draw(f, t, out, dpi=110):
    """Draws target t's predictive plot to `out` (PNG). Returns False (and says why on stderr) when the file has no
    predictive check or the target was not sampled."""
    ids = [i.decode() if isinstance(i, bytes) else i for i in f["id"][...]]
    if "ppc_bands" not in f:
        print(f"{f.filename}: no posterior predictive check (run npe-infer with --predictive-draws N)", file=sys.stderr)
        return False
    bands = f["ppc_bands"][t]                      # [M, 5]: 2.5, 16, 50, 84, 97.5 %
    x = f["x"][t]
    sigma = f["sigma"][t] if "sigma" in f else np.full_like(x, np.nan)
    p = float(f["ppc_p_value"][t])
    chi2 = f["ppc_chi2"][t]
    bins = int(f["ppc_observed_bins"][t])
    if not np.isfinite(bands).any():
        print(f"target {ids[t]}: no predictive draws (not sampled, or every draw refused)", file=sys.stderr)
        return False
    m = len(x)
    wavelength = f["wavelength"][...] if "wavelength" in f else np.arange(m)
    order = np.argsort(wavelength)
    w, bands, x, sigma = wavelength[order], bands[order], x[order], sigma[order]
    observed = np.isfinite(x) & np.isfinite(sigma) & (sigma > 0)
    scale, unit = (1e6, "ppm") if np.nanmax(np.abs(bands)) < 0.1 else (1.0, "")

    figure, (top, bottom) = plt.subplots(2, 1, figsize=(9, 5.6), sharex=True, gridspec_kw={"height_ratios": [3, 1]})
    top.fill_between(w, bands[:, 0] * scale, bands[:, 4] * scale, color="tab:blue", alpha=0.18, lw=0, label="predictive 2σ (2.5–97.5 %)")
    top.fill_between(w, bands[:, 1] * scale, bands[:, 3] * scale, color="tab:blue", alpha=0.35, lw=0, label="predictive 1σ (16–84 %)")
    top.plot(w, bands[:, 2] * scale, color="tab:blue", lw=1.5, label="predictive median")
    top.errorbar(w[observed], x[observed] * scale, yerr=sigma[observed] * scale, fmt="o", ms=3, color="k", ecolor="0.3",
                 elinewidth=1, capsize=1.5, label="data ± 1σ")
    top.set_ylabel(f"transit depth [{unit}]" if unit else "x")
    top.legend(fontsize=8, loc="best")
    best = np.nanmin(chi2) if np.isfinite(chi2).any() else float("nan")
    flags = f["flag_reasons"][t]
    flags = flags.decode() if isinstance(flags, bytes) else flags
    weighting = f.attrs.get("ppc_draw_weighting", "")
    title = (f"{ids[t]} — {f.attrs['model_reference']} — {len(chi2)} draws ({weighting}): "
             f"p = {p:.3g}, best χ² = {best:.1f} over {bins} bins")
    if flags:
        # Reasons can be long; wrap them so the title stays inside the figure.
        title += "\n" + "\n".join(textwrap.wrap(f"flags: {flags}", width=120))
    top.set_title(title, fontsize=9)
    residual = (x - bands[:, 2]) / sigma
    bottom.axhspan(-1, 1, color="0.9")
    bottom.axhline(0, color="0.4", lw=0.8)
    bottom.plot(w[observed], residual[observed], "o", ms=3, color="k")
    bottom.set_ylabel("(x − median)/σ", fontsize=8)
    bottom.set_xlabel("wavelength [µm]" if "wavelength" in f else "bin")
    if "wavelength" in f and w.min() > 0 and w.max() / w.min() > 3:
        bottom.set_xscale("log")
        for axis in (bottom.xaxis,):
            axis.set_major_formatter(matplotlib.ticker.FormatStrFormatter("%g"))
            axis.set_minor_formatter(matplotlib.ticker.FormatStrFormatter("%g"))
            axis.set_tick_params(which="minor", labelsize=7)
    figure.tight_layout()
    figure.savefig(out, dpi=dpi)
    plt.close(figure)
    return True


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("posterior", help="posterior file written by npe-infer")
    parser.add_argument("target", help="row index or target id")
    parser.add_argument("--out", help="PNG to write (default: <posterior>-<id>-ppc.png)")
    args = parser.parse_args()
    with h5py.File(args.posterior, "r") as f:
        check_format(f, args.posterior)
        t, ids = resolve_target(f, args.posterior, args.target)
        out = args.out or f"{args.posterior.rsplit('.', 1)[0]}-{ids[t]}-ppc.png"
        if not draw(f, t, out):
            sys.exit(1)
    print(out)


if __name__ == "__main__":
    main()
