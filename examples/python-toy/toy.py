"""A toy forward model for ExoNPE's exec: contract: x_j = a + b * t_j + c * t_j**2 on 20 points t in [0, 1].

Called as `python3 toy.py IN.h5 OUT.h5` (docs/external-simulators.md): IN.h5 holds theta [n, 3]
(columns a, b, c as listed in toy.yaml's inputs) and row [n]; OUT.h5 gets x [n, 20]. A NaN row marks a failed row.
"""
import sys

import h5py
import numpy as np

with h5py.File(sys.argv[1], "r") as source:
    theta = source["theta"][...]
t = np.linspace(0.0, 1.0, 20)
a, b, c = theta[:, 0:1], theta[:, 1:2], theta[:, 2:3]
x = a + b * t + c * t**2
x[~np.isfinite(theta).all(axis=1)] = np.nan  # a row we cannot compute fails, the others go on
with h5py.File(sys.argv[2], "w") as target:
    target["x"] = x
