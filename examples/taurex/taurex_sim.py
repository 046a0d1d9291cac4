"""TauREx 3.3.2 as an ExoNPE external simulator: the ARIEL set-up of the built-in `ariel-transmission` model.

    python3 taurex_sim.py IN.h5 OUT.h5      (docs/external-simulators.md; run through taurex.yaml)

Per row of IN.h5's theta (columns in taurex.yaml's `inputs` order: planet_radius [R_J], planet_temp [K], log10 VMRs
of H2O, CO2, CO, CH4, planet_mass [M_J], star_radius [R_sun]): an isothermal TransmissionModel with 100 layers from
1e6 to 1e-5 Pa, TaurexChemistry(fill H2/He, He/H2 = 0.17), absorption from the shipped ARIEL k-tables (converted to
TauREx's HDF5 format by convert_opacities.py, on first use, into opacities/), Rayleigh scattering and H2-H2 and
H2-He CIA, a 5800 K black-body star. OUT.h5's x is the transit depth (Rp/Rs)^2 as a fraction, on the k-tables' 52
bins in ascending wavelength, like the built-in model. NH3 has no k-table here, so it is not an input. A row TauREx
refuses is written as NaN (that row fails, the others go on).
"""
import os
import pathlib
import sys
import tempfile

import h5py
import numpy as np

HERE = pathlib.Path(__file__).resolve().parent
OPACITIES = pathlib.Path(os.environ.get("EXONPE_TAUREX_OPACITIES", HERE / "opacities"))
RESOURCES = HERE.parent.parent / "Sources" / "NPETransmission" / "Resources"
GASES = ["H2O", "CO2", "CO", "CH4"]


def ensure_opacities() -> None:
    """Converts the shipped tables once; concurrent calls race safely (build aside, then one atomic rename)."""
    if OPACITIES.exists():
        return
    import convert_opacities

    staging = pathlib.Path(tempfile.mkdtemp(prefix=".opacities-", dir=OPACITIES.parent))
    convert_opacities.main_for(RESOURCES, staging)
    try:
        staging.rename(OPACITIES)
    except OSError:  # another call finished first: use its copy
        import shutil

        shutil.rmtree(staging, ignore_errors=True)


def load_ktables() -> None:
    """Puts the converted HDF5 k-tables into TauREx's k-table cache.

    TauREx 3.3.2's own HDF5KTable loader calls ``Dataset.copy()``, which h5py 3 datasets do not have, so the
    arrays are read here with ``[()]`` (same layout, same values) and handed to the cache.
    """
    from taurex.cache.ktablecache import KTableCache
    from taurex.opacity.ktables.hdfktable import HDF5KTable

    class ArrayHDF5KTable(HDF5KTable):
        def _load_hdf_file(self, filename):
            with h5py.File(filename, "r") as f:
                self._wavenumber_grid = f["bin_centers"][()]
                self._ngauss = int(f["ngauss"][()])
                self._temperature_grid = f["t"][()]
                self._pressure_grid = f["p"][()]  # written in Pa by convert_opacities.py
                self._xsec_grid = f["kcoeff"][()]
                self._weights = f["weights"][()]
            self._min_pressure, self._max_pressure = self._pressure_grid.min(), self._pressure_grid.max()
            self._min_temperature, self._max_temperature = self._temperature_grid.min(), self._temperature_grid.max()
            self.clean_molecule_name()

    for path in sorted((OPACITIES / "ktables").glob("*.h5")):
        KTableCache().add_opacity(ArrayHDF5KTable(str(path)))


def spectra(theta: np.ndarray) -> np.ndarray:
    from taurex.cache import CIACache, GlobalCache
    from taurex.cia import PickleCIA
    from taurex.chemistry import ConstantGas, TaurexChemistry
    from taurex.contributions import AbsorptionContribution, CIAContribution, RayleighContribution
    from taurex.model import TransmissionModel
    from taurex.planet import Planet
    from taurex.stellar import BlackbodyStar
    from taurex.temperature import Isothermal

    GlobalCache()["opacity_method"] = "ktables"
    GlobalCache()["ktable_path"] = str(OPACITIES / "ktables")  # lists the molecules; the tables come from the cache
    load_ktables()
    CIACache().add_cia(PickleCIA(str(OPACITIES / "cia" / "H2-H2.db"), pair_name="H2-H2"))
    CIACache().add_cia(PickleCIA(str(OPACITIES / "cia" / "H2-He.db"), pair_name="H2-He"))
    x = np.full((theta.shape[0], 52), np.nan)
    for i, (radius, temperature, *logs, mass, star_radius) in enumerate(theta):
        try:
            chemistry = TaurexChemistry(fill_gases=["H2", "He"], ratio=0.17)
            for gas, log_x in zip(GASES, logs):
                chemistry.addGas(ConstantGas(gas, mix_ratio=10.0**log_x))
            model = TransmissionModel(
                planet=Planet(planet_radius=radius, planet_mass=mass),
                star=BlackbodyStar(radius=star_radius, temperature=5800),
                temperature_profile=Isothermal(T=temperature), chemistry=chemistry, nlayers=100,
                atm_min_pressure=1e-5, atm_max_pressure=1e6)
            model.add_contribution(AbsorptionContribution())
            model.add_contribution(RayleighContribution())
            model.add_contribution(CIAContribution(cia_pairs=["H2-H2", "H2-He"]))
            model.build()
            wavenumbers, depth, _, _ = model.model()
            x[i] = depth[np.argsort(1e4 / wavenumbers)]
        except Exception as error:  # this row fails; the contract's NaN row
            print(f"row {i}: {error}", file=sys.stderr)
    return x


def main() -> None:
    ensure_opacities()
    source_path, target_path = sys.argv[-2], sys.argv[-1]  # earlier arguments only name files for provenance
    with h5py.File(source_path, "r") as source:
        theta = source["theta"][...]
    x = spectra(theta)
    with h5py.File(target_path, "w") as target:
        target["x"] = x


if __name__ == "__main__":
    main()
