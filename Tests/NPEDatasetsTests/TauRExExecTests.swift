import Foundation
import NPEData
import NPESimulators
import NPETestSupport
import NPETransmission
import Testing

/// Whether the interop venv has TauREx (and numba, which it imports).
enum TauRExAvailability {
    static let inInteropPython: Bool = {
        guard InteropPython.isAvailable, let result = try? InteropPython.run("import taurex, numba") else { return false }
        return result.status == 0
    }()
}

/// `examples/taurex/`: TauREx 3.3.2 itself, run through `exec:examples/taurex/taurex.yaml`, against the built-in
/// ARIEL model on the same 200 prior draws.
@Suite(.enabled(if: TauRExAvailability.inInteropPython, "needs EXONPE_PYTHON with taurex (scripts/python-env installs examples/taurex/requirements.txt)"))
struct TauRExExecTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Every spectrum within 1% of its own feature amplitude (max − min depth over the 52 bins). The built-in
    /// model reproduces TauREx to 0.005 ppm on fixed planets (TransmissionTauRExSpectraTests); what this adds is
    /// the whole exec path: YAML, IN.h5 → TauREx → OUT.h5, float64 → the dataset's float32, row order and inputs by
    /// name. 1% of a feature amplitude (tens to thousands of ppm) is far above float32 rounding (~1e-7 relative).
    @Test
    func taurexThroughExecAgreesWithTheBuiltInModel() throws {
        let python = try #require(InteropPython.path)
        let directory = try makeTemporaryDirectory("taurex")
        defer { try? FileManager.default.removeItem(at: directory) }
        var environment = ProcessInfo.processInfo.environment
        // taurex.yaml runs `python3`: the venv's, first on the PATH.
        let bin = URL(fileURLWithPath: python).deletingLastPathComponent().path
        environment["PATH"] = bin + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        let yaml = Self.root.appendingPathComponent("examples/taurex/taurex.yaml").path
        let out = directory.appendingPathComponent("taurex")
        let result = try runProcess(
            builtExecutable(named: "npe-build-dataset"),
            ["build", "--simulator", "exec:" + yaml, "--prior", "ariel-adc2023", "--rows", "200", "--seed", "3", "--out", out.path],
            in: directory, environment: environment)
        try #require(result.status == 0, "\(result.errors)")
        let rows = try readAllRows(out.appendingPathComponent("dataset.h5"))
        let context = try #require(rows.context)
        let builtIn = try ArielTransmissionSimulator()
        var compared = 0, worst = 0.0
        for row in 0..<200 where rows.flags?[row] == 0 {
            let theta = (0..<7).map { Double(rows.theta[7 * row + $0]) }
            // NH3 has no k-table in the TauREx set-up (not an input there): absent in the built-in model too.
            var inputs = Array(theta[0..<6]) + [-30] + [Double(context[2 * row]), Double(context[2 * row + 1])]
            guard let reference = try? builtIn.simulate(inputs), reference.allSatisfy(\.isFinite) else { continue }
            let x = (0..<52).map { Double(rows.x[52 * row + $0]) }
            let amplitude = reference.max()! - reference.min()!
            let deviation = zip(x, reference).map { abs($0 - $1) }.max()!
            worst = max(worst, deviation / amplitude)
            #expect(deviation <= 0.01 * amplitude, "row \(row): |TauREx − built-in| = \(deviation * 1e6) ppm, amplitude \(amplitude * 1e6) ppm")
            compared += 1
        }
        print("TauREx via exec vs built-in: \(compared) spectra, worst deviation \(worst * 100)% of the feature amplitude")
        // The ADC2023 box holds unphysical corners that either model may refuse; most rows must be comparable.
        #expect(compared >= 150)
    }
}
