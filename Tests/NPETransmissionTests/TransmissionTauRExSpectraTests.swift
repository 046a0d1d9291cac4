import Foundation
import Testing
import NPESimulators
@testable import NPETransmission

/// Whole spectra against TauREx 3.3.2 itself, over planets far from the ADC-like case.
@Suite struct TransmissionTauRExSpectraTests {
    @Test(arguments: TauRExReferenceSpectra.cases.indices)
    func matchesTauRExSpectrum(index: Int) throws {
        let reference = TauRExReferenceSpectra.cases[index]
        let model = try TransmissionModel(
            configuration: TransmissionModelConfiguration(cloudDeck: reference.cloudTopPressure != nil))
        let ppm = try model.transitDepths(for: reference.atmosphere).map { $0 * 1e6 }
        let worst = zip(ppm, reference.ppm).map { abs($0 - $1) }.max()!
        print("case \(index): largest |Swift − TauREx| = \(worst) ppm")
        if reference.temperature >= 3400 {
            // TauREx extrapolates k in log P below the pressure grid at the table's top temperature (see
            // TransmissionModel, step 5); the model does not. Emulating it reproduces TauREx to 2e-5 ppm; without it
            // the 4.3 µm CO2 bin of this X_CO2 = 1e-3 case moves by 0.17 ppm.
            #expect(worst < 0.5)
        } else {
            // Measured ≤ 5.3e-4 ppm (Float32 chord sums against TauREx's float64): 0.005 ppm leaves a 10× margin.
            #expect(worst < 0.005)
        }
    }
}
