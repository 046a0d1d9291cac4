import Foundation
import Testing
import NPESimulators
@testable import NPETransmission

/// The grey cloud deck and the H2/He/N2 fill against TauREx 3.3.2 itself (``TauRExCloudyReferenceSpectra``).
@Suite struct TransmissionTauRExCloudyTests {
    /// Every bin within 1% of the spectrum's feature amplitude (max − min of TauREx's depths), the agreement the
    /// retrieval needs: a systematic error that small is far below Ariel's per-bin noise (≥ 10 ppm) on any case here.
    @Test(arguments: TauRExCloudyReferenceSpectra.cases.indices)
    func agreesWithTauRExWithinOnePercentOfTheFeatureAmplitude(index: Int) throws {
        let reference = TauRExCloudyReferenceSpectra.cases[index]
        let model = try TransmissionModel(configuration: reference.configuration)
        let ppm = try model.transitDepths(for: reference.atmosphere).map { $0 * 1e6 }
        let amplitude = reference.ppm.max()! - reference.ppm.min()!
        let worst = zip(ppm, reference.ppm).map { abs($0 - $1) }.max()!
        print("cloudy case \(index) (\(reference.note)): largest |Swift − TauREx| = \(worst) ppm, "
              + "\(100 * worst / amplitude)% of the \(amplitude) ppm feature amplitude")
        #expect(worst <= 0.01 * amplitude)
    }

    /// The deck and the fill change the spectrum as physics says: a deck higher up flattens it (smaller amplitude),
    /// and a heavier fill shrinks the scale height and with it the features.
    @Test func deckAndHeavyFillShrinkTheFeatures() throws {
        let base = TauRExCloudyReferenceSpectra.cases[5]
        func amplitude(cloud: Double?, nitrogen: Double) throws -> Double {
            var atmosphere = base.atmosphere
            atmosphere.cloudTopPressure = cloud
            atmosphere.nitrogenFillFraction = nitrogen
            let model = try TransmissionModel(configuration: .init(cloudDeck: cloud != nil, fillGas: .hydrogenHeliumNitrogen))
            let depths = try model.transitDepths(for: atmosphere)
            return depths.max()! - depths.min()!
        }
        let clear = try amplitude(cloud: nil, nitrogen: 0.5)
        #expect(try amplitude(cloud: 1e3, nitrogen: 0.5) < clear)
        #expect(try amplitude(cloud: 1, nitrogen: 0.5) < amplitude(cloud: 1e3, nitrogen: 0.5))
        #expect(try amplitude(cloud: nil, nitrogen: 0.9) < clear)
        #expect(try amplitude(cloud: nil, nitrogen: 0) > clear)
    }
}
