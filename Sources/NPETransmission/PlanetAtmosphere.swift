/// The physical inputs of one transmission spectrum.
public struct PlanetAtmosphere: Sendable, Equatable {
    /// Radius at the 1e6 Pa (10 bar) level, R_p [R_J] (the ADC2023 `planet_radius`).
    public var radius: Double
    /// Planet mass [M_J].
    public var mass: Double
    /// Temperature [K]: the isothermal temperature, or T_eq of the Guillot profile.
    public var temperature: Double
    /// Stellar radius [R_☉].
    public var starRadius: Double
    /// log10 volume mixing ratios, in ``TraceGas`` order (H2O, CO2, CO, CH4, NH3).
    public var logMixingRatios: [Double]
    /// Cloud-top pressure [Pa] of the grey deck, used when the configuration has one.
    public var cloudTopPressure: Double?
    /// N2's share f ∈ [0, 1] of the fill gas, used when the configuration's fill is
    /// ``TransmissionModelConfiguration/FillGas/hydrogenHeliumNitrogen``.
    public var nitrogenFillFraction: Double?

    public init(
        radius: Double, mass: Double, temperature: Double, starRadius: Double, logMixingRatios: [Double],
        cloudTopPressure: Double? = nil, nitrogenFillFraction: Double? = nil
    ) {
        self.radius = radius
        self.mass = mass
        self.temperature = temperature
        self.starRadius = starRadius
        self.logMixingRatios = logMixingRatios
        self.cloudTopPressure = cloudTopPressure
        self.nitrogenFillFraction = nitrogenFillFraction
    }
}
