"""Converts the opacities the built-in ARIEL model ships to the formats TauREx 3.3.2 reads, once.

    python3 convert_opacities.py SOURCE_DIR OUT_DIR

SOURCE_DIR is Sources/NPETransmission/Resources (the four NEMESIS .kta k-tables and the two Borysow CIA tables).
OUT_DIR gets:
  * ktables/<MOL>_ariel.h5: TauREx's HDF5 k-table layout (HDF5KTable): bin_centers [cm-1], ngauss, t [K],
    p [Pa] (attribute units), kcoeff [p, t, wn, g] in cm^2/molecule, weights, samples. The values are those TauREx's
    own NEMESIS reader decodes from the .kta file, so both readers see the same table.
  * cia/H2-H2.db, cia/H2-He.db: TauREx PickleCIA pickles (wno [cm-1], t [K], xsecarr [t, wno] in m^5), from the
    tables in cm^-1 amagat^-2 with k[m^5] = k_tab * 1e2 / (2.6867811e25)^2, as the built-in model converts them.
"""
import pathlib
import pickle
import sys

import h5py
import numpy as np
from taurex.opacity.ktables.nemesisktables import NemesisKTables

LOSCHMIDT = 2.6867811e25  # molecules m^-3 at 0 C and 1 atm (one amagat)


def convert_ktable(source: pathlib.Path, target: pathlib.Path) -> None:
    table = NemesisKTables(str(source))
    with h5py.File(target, "w") as f:
        f["bin_centers"] = np.asarray(table.wavenumberGrid, dtype=np.float64)
        f["ngauss"] = len(table.weights)
        f["t"] = np.asarray(table.temperatureGrid, dtype=np.float64)
        f["p"] = np.asarray(table.pressureGrid, dtype=np.float64)
        f["p"].attrs["units"] = "Pa"
        f["kcoeff"] = np.asarray(table.xsecGrid, dtype=np.float64)
        f["kcoeff"].attrs["units"] = "cm^2/molecule"
        f["weights"] = np.asarray(table.weights, dtype=np.float64)
        f["samples"] = np.asarray(table._samples, dtype=np.float64)
        f["mol_name"] = table.moleculeName


def convert_cia(source: pathlib.Path, target: pathlib.Path) -> None:
    lines = [line.split("#")[0].strip() for line in source.read_text().splitlines()]
    section, temperatures, rows = None, [], []
    for line in lines:
        if not line:
            continue
        if line.startswith("@"):
            section = line[1:]
            continue
        if section == "TEMPERATURES":
            temperatures += [float(v) for v in line.split()]
        elif section == "DATA":
            rows.append([float(v) for v in line.split()])
    data = np.array(rows)
    xsec = data[:, 1:].T * 1e2 / LOSCHMIDT**2
    with open(target, "wb") as f:
        pickle.dump({"wno": data[:, 0], "t": np.array(temperatures), "xsecarr": xsec}, f)


def main_for(source: pathlib.Path, out: pathlib.Path) -> None:
    (out / "ktables").mkdir(parents=True, exist_ok=True)
    (out / "cia").mkdir(parents=True, exist_ok=True)
    for kta in sorted(source.glob("*_Katy_ARIEL_test.kta")):
        convert_ktable(kta, out / "ktables" / f"{kta.name.split('_')[0]}_ariel.h5")
    convert_cia(source / "CIA_Borysow_H2H2_0060-7000K_0.6-500um.dat", out / "cia" / "H2-H2.db")
    convert_cia(source / "CIA_Borysow_H2He_0050-7000K_0.5-031um.dat", out / "cia" / "H2-He.db")


if __name__ == "__main__":
    main_for(pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]))
