import Foundation
import NPEData
import NPETestSupport
import Testing
@testable import NPEInference

/// The posterior file's version-2 content: the predictive check and the observed data, through a run, a resume, a
/// version-1 file and h5py.
struct PredictiveFileTests {
    let bench = PredictiveBench()

    /// 5 targets, target 1 with a NaN bin (invalid input today: skipped, so its check is empty), targets 3 and 4 with
    /// the feature the model lacks.
    func run(in directory: URL, name: String, batch: Int = 5, predictiveDraws: Int = 40) throws -> InferenceRunSummary {
        var catalogue = try bench.catalogue(count: 5, bump: 0)
        let wrong = try bench.catalogue(count: 5, bump: 0.5)
        catalogue.x.replaceSubrange(120..<200, with: wrong.x[120..<200])
        catalogue.x[40] = .nan
        let settings = InferenceSettings(samplesPerTarget: 200, seed: 4, importanceSampling: true, batchTargets: batch, threads: 2,
                                         predictiveDraws: predictiveDraws, predictiveReplicates: 10)
        return try InferenceRun.run(try bench.job(catalogue, width: 1.3, settings: settings),
                                    output: directory.appendingPathComponent(name), resume: false)
    }

    @Test func theFileHoldsTheCheckAndTheData() throws {
        let directory = try makeTemporaryDirectory("ppcfile")
        defer { try? FileManager.default.removeItem(at: directory) }
        let summary = try run(in: directory, name: "post.h5")
        let file = try PosteriorFile.read(from: summary.output)
        let predictive = try #require(file.predictive)
        #expect(file.formatVersion == 2 && predictive.draws == 40 && predictive.bins == 40 && predictive.targetCount == 5)
        #expect(file.predictiveReplicates == 10 && file.misfitThreshold == 0.001 && file.predictiveDrawWeighting == "importance_resampled")
        #expect(file.x?.count == 5 * 40 && file.sigma?.allSatisfy { $0 == 0.1 } == true && file.wavelengths == nil)
        #expect(file.x?[40].isNaN == true)
        let skipped = predictive.check(1)
        #expect(skipped.pValue.isNaN && skipped.draws.allSatisfy { $0 == -1 } && skipped.observedBins == 0)
        for t in [0, 2] { #expect(predictive.check(t).pValue > 0.001 && !file.flags[t].contains(.modelMisfit)) }
        for t in [3, 4] {
            #expect(predictive.check(t).pValue < 0.001 && file.flags[t].contains(.modelMisfit))
            #expect(file.flagReasons[t].contains("model_misfit: posterior predictive p = "))
        }
        // Resampled draws are sample indices in [0, S), ascending.
        let draws = predictive.check(0).draws
        #expect(draws.allSatisfy { (0..<200).contains($0) } && draws == draws.sorted())
        let csv = try String(contentsOf: summary.summaryCSV, encoding: .utf8).split(separator: "\n")
        #expect(csv[1 + 3 * 2].hasSuffix(",model_misfit"))
        #expect(summary.misfitThreshold == 0.001 && summary.predictivePValues?.count == 5)
    }

    /// Shards of any size give the same check (it depends on (seed, t) only).
    @Test func batchingDoesNotChangeTheCheck() throws {
        let directory = try makeTemporaryDirectory("ppcbatch")
        defer { try? FileManager.default.removeItem(at: directory) }
        let whole = try PosteriorFile.read(from: try run(in: directory, name: "a.h5", batch: 5).output)
        let split = try PosteriorFile.read(from: try run(in: directory, name: "b.h5", batch: 2).output)
        let (a, b) = (try #require(whole.predictive), try #require(split.predictive))
        // Bit patterns, so the skipped target's NaNs compare equal.
        #expect(a.drawIndices == b.drawIndices && bits(a.chiSquared) == bits(b.chiSquared) && bits(a.pValue) == bits(b.pValue)
                && bits(a.replicateChiSquared) == bits(b.replicateChiSquared) && bits(a.bands) == bits(b.bands))
        #expect(sameDatasets(whole, split))
    }

    /// A version-1 file (no data, no check) still reads; an unknown version is refused naming the file and version.
    @Test func versionOneReadsAndUnknownVersionsAreRefused() throws {
        let directory = try makeTemporaryDirectory("ppcversion")
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = try run(in: directory, name: "post.h5", predictiveDraws: 0).output
        do {
            let file = try HDF5File.openForUpdate(at: url)
            try file.root().attributes.set("format_version", to: .int64(1))
            try file.commit()
        }
        let old = try PosteriorFile.read(from: url)
        #expect(old.formatVersion == 1 && old.predictive == nil && old.targetCount == 5)
        do {
            let file = try HDF5File.openForUpdate(at: url)
            try file.root().attributes.set("format_version", to: .int64(3))
            try file.commit()
        }
        do {
            _ = try PosteriorFile.read(from: url)
            Issue.record("a version-3 file was read")
        } catch {
            #expect("\(error)".contains(url.path) && "\(error)".contains("version 3") && "\(error)".contains("versions 1 to 2"), "\(error)")
        }
    }
}

/// h5py + hdf5plugin read the check as `docs/posterior-format.md` says, and recompute a draw's χ² from the stored
/// samples, x and σ with numpy (the linear model's A and b are passed in).
@Suite(.enabled(if: InteropPython.isAvailable)) struct PredictiveInteropTests {
    @Test func h5pyReadsThePredictiveCheck() throws {
        let directory = try makeTemporaryDirectory("ppcinterop")
        defer { try? FileManager.default.removeItem(at: directory) }
        let summary = try PredictiveFileTests().run(in: directory, name: "post.h5")
        let problem = PredictiveBench().problem
        let model = String(decoding: try JSONSerialization.data(withJSONObject: ["A": problem.matrix, "b": problem.offset]), as: UTF8.self)
        let script = """
        import sys, json, h5py, hdf5plugin, numpy as np
        model = json.loads(sys.argv[2])
        A, b = np.array(model['A']).reshape(40, 2), np.array(model['b'])
        f = h5py.File(sys.argv[1], 'r')
        a = f.attrs
        assert int(a['format_version']) == 2 and int(a['ppc_draws']) == 40 and int(a['ppc_replicates']) == 10
        assert json.loads(a['ppc_band_quantiles']) == [0.025, 0.16, 0.5, 0.84, 0.975]
        assert f['ppc_draws'].dtype == np.int64 and f['ppc_draws'].shape == (5, 40)
        assert f['ppc_chi2'].shape == (5, 40) and f['ppc_chi2_replicate'].shape == (5, 40)
        assert f['ppc_p_value'].shape == (5,) and f['ppc_observed_bins'].dtype == np.int64
        assert f['ppc_bands'].shape == (5, 40, 5) and f['x'].shape == (5, 40) and f['sigma'].shape == (5, 40)
        for name in ['ppc_draws', 'ppc_chi2', 'ppc_bands', 'x', 'sigma']:
            assert list(f[name]._filters.keys()) == ['shuffle', '32004'], name
        worst = 0.0
        for t in [0, 2, 3]:
            bands = f['ppc_bands'][t]
            assert (np.diff(bands, axis=1) >= 0).all()
            x, sigma = f['x'][t], f['sigma'][t]
            for k in range(40):
                s = int(f['ppc_draws'][t, k])
                mu = A @ f['samples'][t, s].astype(np.float64) + b
                chi2 = float((((x - mu) / sigma) ** 2).sum())
                worst = max(worst, abs(chi2 - f['ppc_chi2'][t, k]) / chi2)
        print(json.dumps(dict(worst=worst, p=[float(v) if np.isfinite(v) else None for v in f['ppc_p_value'][...]],
                              bins=f['ppc_observed_bins'][...].tolist(), flags=f['flags'][...].tolist())))
        """
        let result = try InteropPython.run(script, [summary.output.path, model])
        #expect(result.status == 0, "\(result.errors)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        // The stored θ are float32 (relative error 6e-8), which moves χ² by far less than 1e-5 relative.
        #expect(try #require(report["worst"] as? Double) < 1e-5)
        #expect(report["bins"] as? [Int] == [40, 0, 40, 40, 40])
        #expect((report["flags"] as? [Int]).map { $0.map { $0 & 8 } } == [0, 0, 0, 8, 8])
    }
}
