import Foundation
import NPETestSupport
import NPEData
import NPESimulators
import Testing

@testable import NPEDatasets

/// h5py + hdf5plugin as independent clients: they write pairs we import, and read a dataset we build.
/// Runs when EXONPE_PYTHON points at a Python with numpy, h5py and hdf5plugin (scripts/test sets it).
struct PythonInteropTests {
    static let python = ProcessInfo.processInfo.environment["EXONPE_PYTHON"]

    private func runPython(_ script: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let result = try InteropPython.run(script, arguments, mergingErrors: true)
        return (result.status, result.output)
    }

    @Test(.enabled(if: python != nil))
    func importsPairsWrittenByH5pyWithLZ4() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let pairs = root.appendingPathComponent("pairs.h5")
        let script = """
            import sys, h5py, hdf5plugin, numpy as np
            rng = np.random.default_rng(4)
            theta = rng.uniform(-1, 1, size=(2500, 2)).astype('<f4')
            x = rng.normal(size=(2500, 6)).astype('<f4')
            g = rng.uniform(1, 10, size=(2500, 1))  # float64: converted exactly to the stored float32
            with h5py.File(sys.argv[1], 'w') as f:
                f.create_dataset('theta', data=theta, chunks=(500, 2), **hdf5plugin.LZ4())
                f.create_dataset('x', data=x, chunks=(500, 6), **hdf5plugin.LZ4())
                f.create_dataset('context', data=g)
                f.create_dataset('wavelength', data=np.linspace(0.5, 7.8, 6))
                f.create_dataset('bin_width', data=np.full(6, 0.1, dtype='<f4'))
            print(float(theta[1234, 1]), float(x[2499, 5]))
            """
        let written = try runPython(script, [pairs.path])
        #expect(written.status == 0, "\(written.output)")
        let summary = try DatasetImporter(source: .hdf5(pairs), prior: FlakySimulator.prior, simulatorName: "h5py")
            .importDataset(into: root.appendingPathComponent("ds"))
        let rows = try readAllRows(summary.datasetURL)
        #expect(rows.count == 2500)
        let printed = written.output.split(whereSeparator: \.isWhitespace).compactMap { Double($0) }
        #expect(printed == [Double(rows.theta[1234 * 2 + 1]), Double(rows.x[2499 * 6 + 5])])
        let metadata = try TrainingDatasetReader(contentsOf: summary.datasetURL).metadata
        #expect(metadata.wavelength.first == 0.5 && metadata.binWidth == Array(repeating: Double(Float(0.1)), count: 6))
    }

    @Test(.enabled(if: python != nil))
    func h5pyReadsABuiltDatasetAndItsDigest() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let builder = try DatasetBuilder(
            source: FlakySimulator.prior, simulator: FlakySimulator(), noiseModel: .none,
            rows: 3000, seed: 2, directory: root, shardRows: 1000)
        let summary = try #require(try builder.run(options: .init(threads: 2)))
        // The digest recipe of docs/dataset-format.md, computed by numpy, and the failure count from the flags.
        let script = """
            import sys, json, hashlib, h5py, hdf5plugin, numpy as np
            f = h5py.File(sys.argv[1], 'r')
            t, x, c, fl = f['theta'][:], f['x'][:], f['context'][:], f['flags'][:]
            n = t.shape[0]
            parts = [a.astype('<f4').view('u1').reshape(n, -1) for a in (t, x, c)] + [fl.reshape(n, 1)]
            rows = np.concatenate(parts, axis=1)
            print(hashlib.sha256(rows.tobytes()).hexdigest() == f.attrs['content_sha256'], int((fl & 1).sum()),
                  json.loads(f.attrs['parameter_names']), f['x'].chunks[0])
            """
        let read = try runPython(script, [summary.datasetURL.path])
        #expect(read.status == 0, "\(read.output)")
        #expect(
            read.output.trimmingCharacters(in: .whitespacesAndNewlines)
                == "True \(summary.failedRows) ['a', 'b'] \(builder.plan.chunkRows)")
    }
}
