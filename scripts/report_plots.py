"""Plot worker of npe-report (docs/report.md): draws the per-target images of a catalogue report, and the calibration
figures from an npe-validate record. npe-report starts several of these in parallel, each on its own slice of targets.

  report_plots.py targets POST.h5 SITE JOBS.json   # JOBS: [{"index": t, "dir": "targets/<slug>"}, ...]
  report_plots.py calibration EVAL.json SITE        # SITE/calibration/coverage.png and sbc.png
  report_plots.py ondemand POST.h5 SITE [TARGET...]  # by id or row index; none: every target (scripts/report-plots)

Each finished target prints one JSON line {"index", "corner", "ppc", "seconds"} (image paths relative to SITE, null
when not drawn), so the caller can link exactly the images that exist. It also serves on-demand plotting:
scripts/report-plots runs it for the targets a report was written without.
"""
import json
import os
import subprocess
import sys
import time

import h5py
import hdf5plugin  # noqa: F401  (registers the LZ4 filter, id 32004)
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import plot_corner  # noqa: E402
import plot_ppc  # noqa: E402

DPI = 80  # small images: the page shows them at about 800 px and 1000 targets of them must stay cheap


def targets(posterior, site, jobs_path):
    with open(jobs_path) as handle:
        jobs = json.load(handle)
    with h5py.File(posterior, "r") as f:
        plot_corner.check_format(f, posterior)
        for job in jobs:
            started = time.time()
            t, directory = int(job["index"]), job["dir"]
            os.makedirs(os.path.join(site, directory), exist_ok=True)
            result = {"index": t, "corner": None, "ppc": None}
            for name, draw in (("corner", plot_corner.draw), ("ppc", plot_ppc.draw)):
                relative = f"{directory}/{name}.png"
                path = os.path.join(site, relative)
                partial = path + ".partial.png"
                try:
                    if draw(f, t, partial, dpi=DPI):
                        os.replace(partial, path)  # an image is complete or absent
                        result[name] = relative
                except Exception as error:  # one bad target must not stop the other plots
                    print(f"target {t}: {name} plot failed: {error}", file=sys.stderr)
                finally:
                    if os.path.exists(partial):
                        os.remove(partial)
            result["seconds"] = round(time.time() - started, 3)
            print(json.dumps(result), flush=True)


def calibration(evaluation, site):
    with open(evaluation) as handle:
        data = json.load(handle)
    report = data.get("results", data)
    out = os.path.join(site, "calibration")
    os.makedirs(out, exist_ok=True)
    here = os.path.dirname(os.path.abspath(__file__))
    subprocess.run(["bash", os.path.join(here, "plot-coverage"), evaluation, "--out", os.path.join(out, "coverage.png")],
                   check=True, stdout=subprocess.DEVNULL)
    parameters = report["parameters"]
    columns = min(4, len(parameters))
    rows = (len(parameters) + columns - 1) // columns
    figure, axes = plt.subplots(rows, columns, figsize=(3.2 * columns, 2.6 * rows), squeeze=False)
    for ax in axes.flat[len(parameters):]:
        ax.axis("off")
    rows_used = report.get("dataset", {}).get("rows_used", 0)
    for ax, p in zip(axes.flat, parameters):
        histogram = np.array(p["sbc_histogram"], dtype=float)
        k = len(histogram)
        expected = rows_used / k if rows_used else histogram.mean()
        # The 99% band of a uniform bin count, Binomial(N, 1/k), by its normal approximation.
        spread = 2.576 * np.sqrt(expected * (1 - 1 / k))
        ax.axhspan(expected - spread, expected + spread, color="0.88")
        ax.bar(np.arange(k), histogram, width=1.0, color="tab:blue", alpha=0.8)
        ax.axhline(expected, color="0.3", lw=0.8)
        ax.set_title(f'{p["name"]}: χ² p = {p["sbc_p_value"]:.3g}', fontsize=9)
        ax.set_xticks([])
    figure.suptitle("SBC rank histograms (grey: 99% band of a calibrated model)", fontsize=10)
    figure.tight_layout()
    figure.savefig(os.path.join(out, "sbc.png"), dpi=DPI + 10)
    print(json.dumps({"coverage": "calibration/coverage.png", "sbc": "calibration/sbc.png"}))


def ondemand(posterior, site, wanted):
    with h5py.File(posterior, "r") as f:
        plot_corner.check_format(f, posterior)
        rows = [plot_corner.resolve_target(f, posterior, target)[0] for target in wanted] or range(len(f["id"]))
    jobs = [{"index": t, "dir": f"targets/T{t:06d}"} for t in rows]  # the layout of npe-report's ReportTable
    path = os.path.join(site, ".plot-jobs-ondemand.json")
    with open(path, "w") as handle:
        json.dump(jobs, handle)
    try:
        targets(posterior, site, path)
    finally:
        os.remove(path)


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "targets":
        targets(*sys.argv[2:])
    elif len(sys.argv) == 4 and sys.argv[1] == "calibration":
        calibration(*sys.argv[2:])
    elif len(sys.argv) >= 4 and sys.argv[1] == "ondemand":
        ondemand(sys.argv[2], sys.argv[3], sys.argv[4:])
    else:
        sys.exit(__doc__)
