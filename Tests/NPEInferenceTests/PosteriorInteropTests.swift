import Foundation
import NPETestSupport
import Testing
@testable import NPEInference

/// h5py + hdf5plugin (the real clients) read the posterior file as `docs/posterior-format.md` specifies, and
/// recompute the weighted summary, ESS and normalisation from the stored samples and weights with numpy.
@Suite(.enabled(if: InteropPython.isAvailable)) struct PosteriorInteropTests {
    @Test func h5pyReadsThePosteriorFileAndRecomputesItsSummary() throws {
        let directory = try makeTemporaryDirectory("interop")
        defer { try? FileManager.default.removeItem(at: directory) }
        let fixture = PipelineFixture()
        let catalogue = try fixture.catalogue(count: 3) { x, _ in x[1 * 6] = .infinity }
        let settings = InferenceSettings(samplesPerTarget: 500, seed: 2, importanceSampling: true, batchTargets: 2, threads: 2)
        let run = try InferenceRun.run(try fixture.job(catalogue, sampler: GaussianPosteriorSampler(problem: fixture.problem, width: 1.3),
                                                       settings: settings),
                                       output: directory.appendingPathComponent("post.h5"), resume: false)
        let script = """
        import sys, json, h5py, hdf5plugin, numpy as np
        f = h5py.File(sys.argv[1], 'r')
        a = f.attrs
        assert a['format'] == 'exonpe-posterior' and int(a['format_version']) == 2
        names = json.loads(a['parameter_names'])
        s, d = int(a['samples_per_target']), len(names)
        samples, logq, logw = f['samples'][...], f['log_q'][...], f['log_weights'][...]
        assert samples.shape == (3, s, d) and samples.dtype == np.float32 and logq.shape == (3, s) and logw.dtype == np.float32
        assert f['flags'].dtype == np.uint32 and f['summary'].shape == (3, d, 7)
        for name in ['samples', 'log_q', 'log_weights', 'summary', 'flags', 'ess', 'theta_true']:
            assert list(f[name]._filters.keys()) == ['shuffle', '32004'], (name, f[name]._filters)
        report = dict(flags=f['flags'][...].tolist(), reasons=[r.decode() for r in f['flag_reasons'][...]],
                      ids=[i.decode() for i in f['id'][...]], bits=json.loads(a['flag_bits']), weighting=a['summary_weighting'],
                      skipped_nan=bool(np.isnan(samples[1]).all()), mean_error=0.0, median_error=0.0, ess_error=0.0, norm_error=0.0)
        for t in [0, 2]:
            w = np.exp(logw[t].astype(np.float64))
            report['norm_error'] = max(report['norm_error'], abs(w.sum() - 1))
            w = w / w.sum()
            report['ess_error'] = max(report['ess_error'], abs(1 / (w ** 2).sum() - f['ess'][t]) / f['ess'][t])
            for j in range(d):
                col = samples[t, :, j].astype(np.float64)
                report['mean_error'] = max(report['mean_error'], abs((w * col).sum() - f['summary'][t, j, 0]))
                order = np.argsort(col, kind='stable')
                cdf = np.cumsum(w[order])
                median = col[order][np.searchsorted(cdf, 0.5 - 1e-12)]
                report['median_error'] = max(report['median_error'], abs(median - f['summary'][t, j, 2]))
        print(json.dumps(report))
        """
        let result = try InteropPython.run(script, [run.output.path])
        #expect(result.status == 0, "\(result.errors)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        #expect(report["flags"] as? [Int] == [0, 1, 0])
        #expect((report["reasons"] as? [String])?[1] == "invalid_input: x[0] is inf")
        #expect(report["ids"] as? [String] == ["T0", "T1", "T2"])
        #expect(report["bits"] as? [String: String] == ["0": "invalid_input", "1": "out_of_training_range", "2": "low_importance_efficiency",
                                                         "3": "model_misfit", "4": "masked_bins_unsupported", "5": "no_observed_bins",
                                                         "6": "inconsistent_mask"])
        #expect(report["weighting"] as? String == "importance_weighted" && report["skipped_nan"] as? Bool == true)
        // float32 log weights: each weight carries a relative error ≲ 1e-6, so sums and means agree to ~1e-5.
        #expect(try #require(report["norm_error"] as? Double) < 1e-5)
        #expect(try #require(report["ess_error"] as? Double) < 1e-4)
        #expect(try #require(report["mean_error"] as? Double) < 1e-4)
        // The median is a stored sample: float rounding of weights can move it by at most one neighbouring sample,
        // which for 500 samples of an O(0.1) posterior is < 0.01.
        #expect(try #require(report["median_error"] as? Double) < 1e-2)
    }
}
