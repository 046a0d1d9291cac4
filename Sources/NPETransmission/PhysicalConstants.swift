/// SI constants and element masses used by the transmission model.
///
/// They are the values TauREx 3.3.2 takes from astropy (CODATA 2018, IAU 2015 nominal radii), so that spectra agree
/// with TauREx to rounding error. See `FORWARD_MODEL.md` §2.2 step 2.
enum PhysicalConstants {
    /// Boltzmann constant k_B [J K⁻¹].
    static let boltzmann = 1.380649e-23
    /// Newtonian constant of gravitation G [m³ kg⁻¹ s⁻²].
    static let gravitational = 6.6743e-11
    /// Atomic mass constant u [kg].
    static let atomicMass = 1.66053906892e-27
    /// Jupiter equatorial radius R_J [m].
    static let jupiterRadius = 7.1492e7
    /// Jupiter mass M_J [kg].
    static let jupiterMass = 1.8981245973360505e27
    /// Nominal solar radius R_☉ [m].
    static let solarRadius = 6.957e8
    /// Loschmidt number at 0 °C and 1 atm [m⁻³], used to convert amagat-based CIA tables. The Borysow tables'
    /// conversion in the data README uses this value.
    static let loschmidt = 2.6867811e25
    /// Loschmidt number as written in TauREx's Rayleigh routine (`n_air = 2.6867805e25`) [m⁻³].
    static let loschmidtRayleigh = 2.6867805e25
}

/// Standard atomic weights [u] as tabulated in TauREx (`taurex.util.util.mass`).
enum ElementMass {
    static let hydrogen = 1.00794
    static let helium = 4.002602
    static let carbon = 12.011
    static let nitrogen = 14.00674
    static let oxygen = 15.9994
}
