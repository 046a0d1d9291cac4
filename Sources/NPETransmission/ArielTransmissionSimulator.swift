import Foundation
import NPESimulators

/// ``TransmissionModel`` as a ``Simulator``: the built-in `"ariel-transmission"` forward model.
///
/// Inputs, in order: `planet_radius` [R_J], `planet_temp` [K], `log_H2O`, `log_CO2`, `log_CO`, `log_CH4`, `log_NH3`
/// (log10 volume mixing ratios), `planet_mass` [M_J], `star_radius` [R_☉], then, only when the configuration has a
/// cloud deck, `log_cloud_pressure` (log10 Pa), and, only when its fill gas includes N2, `fill_n2_fraction` (N2's share
/// of the fill, 0–1). Outputs: 52 transit depths (fractions) in ascending wavelength.
/// ``spectralGrid`` gives the ADC2023 bin centres and widths (0.55, 0.70, 0.95, … µm); the physics is evaluated at the
/// k-tables' own centres (0.55, 0.705, 0.955, …), each inside its ADC bin, as TauREx does.
///
/// NH3 opacity is an **APPROXIMATE** band model (see ``AmmoniaBandModel``); the configuration records it.
///
/// Thread safety: the value is `Sendable` and immutable; each call borrows a scratch ``TransmissionWorkspace`` from an
/// internal pool (a lock guards only the pop and push), so any number of threads may call ``simulate(_:into:)`` at
/// once, with results independent of which workspace ran them.
public struct ArielTransmissionSimulator: RowSimulator {
    public let model: TransmissionModel
    private let pool: WorkspacePool

    public var name: String { "ariel-transmission" }
    /// Bump when outputs change.
    public var version: String { "1.0.0" }
    public var inputNames: [String] {
        var names = ["planet_radius", "planet_temp"] + TraceGas.allCases.map(\.inputName)
        names += ["planet_mass", "star_radius"]
        if model.configuration.cloudDeck { names.append("log_cloud_pressure") }
        if model.configuration.fillGas == .hydrogenHeliumNitrogen { names.append("fill_n2_fraction") }
        return names
    }
    public var outputCount: Int { model.wavelengths.count }
    public var spectralGrid: SpectralGrid? {
        SpectralGrid(wavelengths: model.grid.centres, binWidths: model.grid.widths)
    }
    public var configuration: [String: String] { model.configuration.provenance }

    public init(model: TransmissionModel) {
        self.model = model
        self.pool = WorkspacePool(model: model)
    }

    /// Loads the bundled data (once per process) and prepares the model.
    public init(configuration: TransmissionModelConfiguration = .init()) throws {
        self.init(model: try TransmissionModel(configuration: configuration))
    }

    public func simulate(
        _ inputs: UnsafeBufferPointer<Double>, into output: UnsafeMutableBufferPointer<Double>
    ) throws {
        let configuration = model.configuration
        let nitrogenIndex = configuration.fillGas == .hydrogenHeliumNitrogen ? (configuration.cloudDeck ? 10 : 9) : nil
        let expected = 9 + (configuration.cloudDeck ? 1 : 0) + (nitrogenIndex == nil ? 0 : 1)
        guard inputs.count == expected else {
            throw SimulatorError.wrongInputCount(expected: expected, got: inputs.count)
        }
        guard output.count == outputCount else {
            throw SimulatorError.wrongInputCount(expected: outputCount, got: output.count)
        }
        var cloudPressure: Double?
        if model.configuration.cloudDeck {
            let logPressure = inputs[9]
            guard logPressure.isFinite else {
                throw SimulatorError.inputOutOfDomain(
                    input: "log_cloud_pressure", value: logPressure, reason: "not finite")
            }
            cloudPressure = pow(10, logPressure)
        }
        let atmosphere = PlanetAtmosphere(
            radius: inputs[0], mass: inputs[7], temperature: inputs[1], starRadius: inputs[8],
            logMixingRatios: Array(inputs[2..<7]), cloudTopPressure: cloudPressure,
            nitrogenFillFraction: nitrogenIndex.map { inputs[$0] })
        let workspace = pool.take()
        defer { pool.give(workspace) }
        try model.transitDepths(for: atmosphere, into: output, workspace: workspace)
    }
}

/// A lock-guarded stack of workspaces: `take` pops one (or makes one when empty), `give` pushes it back. The pool
/// grows to the number of threads that ever ran at once.
final class WorkspacePool: @unchecked Sendable {
    private let model: TransmissionModel
    private let lock = NSLock()
    private var free: [TransmissionWorkspace] = []

    init(model: TransmissionModel) { self.model = model }

    func take() -> TransmissionWorkspace {
        lock.lock()
        let workspace = free.popLast()
        lock.unlock()
        return workspace ?? model.makeWorkspace()
    }

    func give(_ workspace: TransmissionWorkspace) {
        lock.lock()
        free.append(workspace)
        lock.unlock()
    }
}
