import Foundation
import Testing
@testable import NPEData

/// Interop with the real client: Python h5py + hdf5plugin (HDF5 and the LZ4 plugin as PyPI ships
/// them, not our code). Values are compared bit for bit through raw little-endian dumps, so there
/// is no tolerance to justify.
@Suite(.enabled(if: pythonIsAvailable, "set EXONPE_PYTHON to a python with h5py and hdf5plugin"))
struct InteropTests {
    /// Smooth, compressible spectra with a noisy tail: some chunks compress, some blocks stay raw.
    private func spectra(rows: Int, columns: Int) -> [Float] {
        var generator = SeededValues(seed: 11)
        let noise = generator.floats(rows * columns)
        return (0..<rows * columns).map { index in
            let row = index / columns
            return row < rows / 2 ? Float(index % columns) * 1e-3 + Float(row % 4) : noise[index]
        }
    }

    @Test func h5pyReadsOurLZ4Files() throws {
        let directory = try TemporaryDirectory()
        let url = directory.file("ours.h5")
        let values = spectra(rows: 3000, columns: 52)
        let file = try HDF5File.create(at: url)
        let root = try file.root()
        let x = try root.createDataset("x", of: Float.self, shape: [0, 52], options: HDF5DatasetOptions(chunkRows: 1000))
        try x.appendRows(values)
        let samples = try root.createDataset("samples", of: Float.self, shape: [0, 16, 3])
        try samples.appendRows(Array(values.prefix(10 * 48)))
        try root.createDataset("ids", values: (0..<100).map { Int64($0) * 3 - 7 }, compression: .shuffleLZ4)
        try root.createDataset("targets", strings: ["WASP-39 b", "τ Boo b"])
        try root.attributes.set("note", to: .string(#"{"unicode": "μm"}"#))
        try root.attributes.set("seed", to: .uint64(42))
        try file.commit()

        let script = """
        import sys, json, h5py, hdf5plugin, numpy as np
        f = h5py.File(sys.argv[1], 'r')
        out = {}
        for name in ['x', 'samples', 'ids']:
            d = f[name]
            plist = d.id.get_create_plist()
            filters = [plist.get_filter(i) for i in range(plist.get_nfilters())]
            out[name] = dict(shape=list(d.shape), dtype=d.dtype.str, chunks=list(d.chunks),
                             filters=[[int(code), [int(v) for v in values], int(flags)] for code, flags, values, _ in filters])
            open(sys.argv[2] + '/' + name + '.bin', 'wb').write(d[...].tobytes())
        raw = f['x'].id.read_direct_chunk((0, 0))[1]
        out['chunk0_header'] = [int.from_bytes(raw[0:8], 'big'), int.from_bytes(raw[8:12], 'big')]
        out['x_storage'] = int(f['x'].id.get_storage_size())
        out['note'] = [type(f.attrs['note']).__name__, f.attrs['note']]
        out['seed'] = int(f.attrs['seed'])
        out['targets'] = list(f['targets'].asstr()[...])
        out['superblock'] = int(f.id.get_create_plist().get_version()[0])
        print(json.dumps(out))
        """
        let output = try runPython(script, arguments: [url.path, directory.url.path])
        let report = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        let xReport = try #require(report["x"] as? [String: Any])
        #expect(xReport["shape"] as? [Int] == [3000, 52])
        #expect(xReport["dtype"] as? String == "<f4")
        #expect(xReport["chunks"] as? [Int] == [1000, 52])
        let filters = try #require(xReport["filters"] as? [[Any]])
        #expect(filters.map { $0[0] as? Int } == [2, 32004])
        #expect(filters[0][1] as? [Int] == [4])  // shuffle's element size, set by HDF5
        #expect(filters[1][1] as? [Int] == [0])
        #expect(filters.map { $0[2] as? Int } == [1, 0])  // shuffle optional, LZ4 mandatory
        #expect(report["superblock"] as? Int == 0)
        #expect((report["samples"] as? [String: Any])?["shape"] as? [Int] == [10, 16, 3])
        // The stored chunk 0 is 1000 × 52 × 4 bytes, one block: the plugin's header.
        #expect(report["chunk0_header"] as? [Int] == [208_000, 208_000])
        #expect(try #require(report["x_storage"] as? Int) < 3000 * 52 * 4)
        #expect(report["note"] as? [String] == ["str", #"{"unicode": "μm"}"#])
        #expect(report["seed"] as? Int == 42)
        #expect(report["targets"] as? [String] == ["WASP-39 b", "τ Boo b"])

        func dump<T>(_ name: String, as type: T.Type) throws -> [T] {
            let data = try Data(contentsOf: directory.file(name + ".bin"))
            return data.withUnsafeBytes { Array($0.bindMemory(to: T.self)) }
        }
        #expect(try dump("x", as: Float.self) == values)
        #expect(try dump("samples", as: Float.self) == Array(values.prefix(480)))
        #expect(try dump("ids", as: Int64.self) == (0..<100).map { Int64($0) * 3 - 7 })
    }

    @Test func weReadH5pyLZ4Files() throws {
        let directory = try TemporaryDirectory()
        let url = directory.file("theirs.h5")
        let script = """
        import sys, h5py, hdf5plugin, numpy as np
        rng = np.random.default_rng(5)
        smooth = np.tile(np.linspace(0, 1, 40, dtype='<f4'), (2500, 1))
        x = np.concatenate([smooth, rng.standard_normal((500, 40)).astype('<f4')])
        with h5py.File(sys.argv[1], 'w') as f:
            f.create_dataset('x', data=x, chunks=(700, 40), maxshape=(None, 40), shuffle=True, **hdf5plugin.LZ4())
            f.create_dataset('big', data=x.astype('>f8'), chunks=(3000, 40), **hdf5plugin.LZ4(nbytes=4096))
            f.create_dataset('flags', data=(np.arange(3000) % 5).astype('u1'), chunks=(1000,), **hdf5plugin.LZ4())
            f['names'] = ['a', 'βγ', '']
            f['fixed_names'] = np.array([b'ab', b'xyz'], dtype='S4')
            f.attrs['text'] = 'plain str ✓'
            f.attrs['fixed'] = np.bytes_(b'fixed bytes')
            f.attrs['count'] = np.int32(-4)
            f.attrs['scale'] = 2.5
        open(sys.argv[2], 'wb').write(x.tobytes())
        """
        let dumpPath = directory.file("x.bin").path
        _ = try runPython(script, arguments: [url.path, dumpPath])
        let expected = try Data(contentsOf: URL(fileURLWithPath: dumpPath)).withUnsafeBytes {
            Array($0.bindMemory(to: Float.self))
        }
        let root = try HDF5File.open(at: url).root()
        let x = try root.openDataset("x")
        #expect(x.filters.map(\.identifier) == [2, 32004])
        #expect(try x.readAll(as: Float.self) == expected)
        #expect(try x.chunkCount() == 5)
        #expect(try x.readChunk(4, as: Float.self) == Array(expected[2800 * 40..<3000 * 40]))
        // Big-endian float64 with 4 KiB LZ4 blocks (many blocks per chunk): values are exact widenings.
        let big = try root.openDataset("big")
        #expect(big.elementType == .float64)
        #expect(try big.readAll(as: Double.self) == expected.map(Double.init))
        #expect(try root.openDataset("flags").readAll(as: UInt8.self) == (0..<3000).map { UInt8($0 % 5) })
        #expect(try root.openDataset("names").readStrings() == ["a", "βγ", ""])
        #expect(try root.openDataset("fixed_names").readStrings() == ["ab", "xyz"])
        #expect(try root.attributes.string("text") == "plain str ✓")
        #expect(try root.attributes.string("fixed") == "fixed bytes")
        #expect(try root.attributes.int64("count") == -4)
        #expect(try root.attributes.double("scale") == 2.5)
    }

    @Test func h5pyReadsTrainingDatasetAndRecomputesItsDigest() throws {
        let directory = try TemporaryDirectory()
        let url = directory.file("dataset.h5")
        let digest = try writeSampleDataset(at: url, rows: 37)
        // The digest exactly as docs/dataset-format.md defines it, written independently in numpy.
        let script = """
        import sys, json, hashlib, h5py, hdf5plugin, numpy as np
        f = h5py.File(sys.argv[1], 'r')
        a = f.attrs
        assert a['format'] == 'exonpe-training-dataset' and int(a['format_version']) == 1
        for key in ['parameter_names', 'parameter_units', 'prior', 'context_names', 'simulator_config', 'noise_model']:
            assert isinstance(a[key], str), key
            json.loads(a[key])
        n = int(a['row_count'])
        theta, x, ctx, flags = (f[k][...] for k in ['theta', 'x', 'context', 'flags'])
        assert theta.dtype == np.float32 and flags.dtype == np.uint8 and f['wavelength'].dtype == np.float64
        rows = np.concatenate([theta.astype('<f4').view('u1').reshape(n, -1), x.astype('<f4').view('u1').reshape(n, -1),
                               ctx.astype('<f4').view('u1').reshape(n, -1), flags.reshape(n, 1)], axis=1)
        print(json.dumps(dict(digest=hashlib.sha256(rows.tobytes()).hexdigest(), recorded=a['content_sha256'],
                              names=json.loads(a['parameter_names']), seed=int(a['seed']), created=a['created'],
                              x01=float(x[3, 2]))))
        """
        let output = try runPython(script, arguments: [url.path])
        let report = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        #expect(report["digest"] as? String == digest)
        #expect(report["recorded"] as? String == digest)
        #expect(report["names"] as? [String] == ["planet_radius", "log_H2O", "T"])
        #expect((report["seed"] as? NSNumber)?.uint64Value == 0xFFFF_FFFF_FFFF_FFF0)
        #expect(report["created"] as? String == "2027-01-15T08:00:00Z")
        #expect(report["x01"] as? Double == 302)
    }
}
