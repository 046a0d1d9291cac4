import CHDF5

/// Dataset calls: creation with chunking and filters, extent, layout queries and hyperslab I/O.
extension H5 {
    /// A filter in a dataset's pipeline: its HDF5 id and client data (`cd_values`).
    struct FilterEntry: Equatable {
        let identifier: Int
        let clientData: [UInt32]
    }

    /// Creates a dataset. `maximum[i] == nil` means unlimited; `chunk` is required for unlimited
    /// dimensions and filters. `shuffleAndLZ4` puts shuffle (id 2) then LZ4 (id 32004, `cd_values` [0])
    /// in the pipeline, in that order.
    static func createDataset(in parent: HDF5Handle, named name: String, element: HDF5ElementType,
                              dimensions: [Int], maximum: [Int?], chunk: [Int]?, shuffleAndLZ4: Bool,
                              path: String) throws -> HDF5Handle {
        try HDF5Runtime.locked {
            guard let types = typeIDs(of: element) else {
                throw HDF5Error.invalidArgument(path: path, reason: "cannot create a dataset of \(element)")
            }
            let space = try simpleDataspace(dimensions, maximum: maximum, path: path)
            let properties = HDF5Handle(
                try HDF5Runtime.checkID(H5Pcreate(npe_H5P_DATASET_CREATE()), "H5Pcreate", path),
                kind: .propertyList, path: path)
            let plist = try properties.validID()
            if let chunk {
                try HDF5Runtime.check(H5Pset_chunk(plist, Int32(chunk.count), chunk.map { hsize_t($0) }),
                                      "H5Pset_chunk", path)
                if shuffleAndLZ4 {
                    try HDF5Runtime.check(H5Pset_shuffle(plist), "H5Pset_shuffle", path)
                    try HDF5Runtime.check(
                        H5Pset_filter(plist, LZ4Filter.identifier, npe_H5Z_FLAG_MANDATORY(),
                                      LZ4Filter.defaultClientData.count, LZ4Filter.defaultClientData),
                        "H5Pset_filter", path)
                }
            }
            let id = try HDF5Runtime.checkID(
                H5Dcreate2(try parent.validID(), name, types.file, try space.validID(), npe_H5P_DEFAULT(), plist,
                           npe_H5P_DEFAULT()),
                "H5Dcreate2", path)
            return HDF5Handle(id, kind: .dataset, path: path)
        }
    }

    static func openDataset(in parent: HDF5Handle, named name: String, path: String) throws -> HDF5Handle {
        try HDF5Runtime.locked {
            let id = try HDF5Runtime.checkID(H5Dopen2(try parent.validID(), name, npe_H5P_DEFAULT()), "H5Dopen2", path)
            return HDF5Handle(id, kind: .dataset, path: path)
        }
    }

    static func dataspace(of dataset: HDF5Handle) throws -> HDF5Handle {
        try HDF5Runtime.locked {
            HDF5Handle(try HDF5Runtime.checkID(H5Dget_space(try dataset.validID()), "H5Dget_space", dataset.path),
                       kind: .dataspace, path: dataset.path)
        }
    }

    static func elementType(ofDataset dataset: HDF5Handle) throws -> HDF5ElementType {
        try HDF5Runtime.locked {
            let type = HDF5Handle(
                try HDF5Runtime.checkID(H5Dget_type(try dataset.validID()), "H5Dget_type", dataset.path),
                kind: .datatype, path: dataset.path)
            return try elementType(of: type)
        }
    }

    /// The chunk shape (nil for contiguous or compact layout) and the filter pipeline in order.
    static func layout(of dataset: HDF5Handle) throws -> (chunk: [Int]?, filters: [FilterEntry]) {
        try HDF5Runtime.locked {
            let path = dataset.path
            let properties = HDF5Handle(
                try HDF5Runtime.checkID(H5Dget_create_plist(try dataset.validID()), "H5Dget_create_plist", path),
                kind: .propertyList, path: path)
            let plist = try properties.validID()
            let layout = H5Pget_layout(plist)
            guard layout != H5D_LAYOUT_ERROR else {
                throw HDF5Error.callFailed(function: "H5Pget_layout", path: path, details: HDF5Runtime.drainErrorStack())
            }
            var chunk: [Int]?
            if layout == H5D_CHUNKED {
                var dims = [hsize_t](repeating: 0, count: 32)
                let rank = try HDF5Runtime.checkCount(H5Pget_chunk(plist, 32, &dims), "H5Pget_chunk", path)
                chunk = dims.prefix(rank).map { Int($0) }
            }
            let count = try HDF5Runtime.checkCount(H5Pget_nfilters(plist), "H5Pget_nfilters", path)
            let filters = try (0..<count).map { index -> FilterEntry in
                var flags: UInt32 = 0
                var valueCount = 16
                var values = [UInt32](repeating: 0, count: 16)
                var config: UInt32 = 0
                let id = H5Pget_filter2(plist, UInt32(index), &flags, &valueCount, &values, 0, nil, &config)
                _ = try HDF5Runtime.checkCount(id, "H5Pget_filter2", path)
                return FilterEntry(identifier: Int(id), clientData: Array(values.prefix(min(valueCount, 16))))
            }
            return (chunk, filters)
        }
    }

    static func setExtent(of dataset: HDF5Handle, to dimensions: [Int]) throws {
        try HDF5Runtime.locked {
            try HDF5Runtime.check(H5Dset_extent(try dataset.validID(), dimensions.map { hsize_t($0) }),
                                  "H5Dset_extent", dataset.path)
        }
    }

    /// Reads (`write == false`) or writes rows `firstRow..<firstRow+rowCount` of a dataset whose
    /// rows have `rowShape` (all dimensions after the first), using a hyperslab selection.
    /// `buffer` holds exactly `rowCount * rowShape.product` elements of `element`.
    static func transferRows(of dataset: HDF5Handle, element: HDF5ElementType, firstRow: Int, rowCount: Int,
                             rowShape: [Int], buffer: UnsafeMutableRawPointer, write: Bool) throws {
        try HDF5Runtime.locked {
            guard rowCount > 0, rowShape.allSatisfy({ $0 > 0 }) else { return }
            guard let types = typeIDs(of: element) else {
                throw HDF5Error.invalidArgument(path: dataset.path, reason: "cannot transfer \(element)")
            }
            let fileSpace = try dataspace(of: dataset)
            let start = [hsize_t(firstRow)] + rowShape.map { _ in hsize_t(0) }
            let count = [hsize_t(rowCount)] + rowShape.map { hsize_t($0) }
            try HDF5Runtime.check(
                H5Sselect_hyperslab(try fileSpace.validID(), H5S_SELECT_SET, start, nil, count, nil),
                "H5Sselect_hyperslab", dataset.path)
            let memorySpace = try simpleDataspace(count.map { Int($0) }, path: dataset.path)
            if write {
                try HDF5Runtime.check(
                    H5Dwrite(try dataset.validID(), types.memory, try memorySpace.validID(), try fileSpace.validID(),
                             npe_H5P_DEFAULT(), buffer),
                    "H5Dwrite", dataset.path)
            } else {
                try HDF5Runtime.check(
                    H5Dread(try dataset.validID(), types.memory, try memorySpace.validID(), try fileSpace.validID(),
                            npe_H5P_DEFAULT(), buffer),
                    "H5Dread", dataset.path)
            }
        }
    }
}
