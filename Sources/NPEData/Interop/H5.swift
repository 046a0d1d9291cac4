import CHDF5

/// The one place NPEData calls HDF5's C API (files, groups, links and type queries here; datasets
/// and attributes in the `H5+…` extensions).
///
/// Each function makes its C call under ``HDF5Runtime/locked(_:)``, turns failures into
/// ``HDF5Error`` naming the C function and `path` ("<file>:<object>"), and returns owned
/// ``HDF5Handle``s, never bare identifiers, for anything that must be closed.
enum H5 {
    // MARK: Files

    /// Creates a new file; fails if `filePath` exists (`H5F_ACC_EXCL`), so a stray temp file is never reused.
    /// Creates a file with a `userBlockByteCount`-byte user block (0: none) before the superblock.
    static func createFile(at filePath: String, userBlockByteCount: Int = 0) throws -> HDF5Handle {
        try HDF5Runtime.locked {
            let properties = HDF5Handle(
                try HDF5Runtime.checkID(H5Pcreate(npe_H5P_FILE_CREATE()), "H5Pcreate", filePath),
                kind: .propertyList, path: filePath)
            if userBlockByteCount > 0 {
                try HDF5Runtime.check(H5Pset_userblock(try properties.validID(), hsize_t(userBlockByteCount)),
                                      "H5Pset_userblock", filePath)
            }
            let id = try HDF5Runtime.checkID(
                H5Fcreate(filePath, npe_H5F_ACC_EXCL(), try properties.validID(), npe_H5P_DEFAULT()), "H5Fcreate", filePath)
            return HDF5Handle(id, kind: .file, path: filePath)
        }
    }

    static func openFile(at filePath: String, writable: Bool) throws -> HDF5Handle {
        try HDF5Runtime.locked {
            let mode = writable ? npe_H5F_ACC_RDWR() : npe_H5F_ACC_RDONLY()
            let id = try HDF5Runtime.checkID(H5Fopen(filePath, mode, npe_H5P_DEFAULT()), "H5Fopen", filePath)
            return HDF5Handle(id, kind: .file, path: filePath)
        }
    }

    static func flush(_ file: HDF5Handle) throws {
        try HDF5Runtime.locked {
            try HDF5Runtime.check(H5Fflush(try file.validID(), H5F_SCOPE_GLOBAL), "H5Fflush", file.path)
        }
    }

    // MARK: Groups and links

    static func createGroup(in parent: HDF5Handle, named name: String, path: String) throws -> HDF5Handle {
        try HDF5Runtime.locked {
            let id = try HDF5Runtime.checkID(
                H5Gcreate2(try parent.validID(), name, npe_H5P_DEFAULT(), npe_H5P_DEFAULT(), npe_H5P_DEFAULT()),
                "H5Gcreate2", path)
            return HDF5Handle(id, kind: .group, path: path)
        }
    }

    static func openGroup(in parent: HDF5Handle, named name: String, path: String) throws -> HDF5Handle {
        try HDF5Runtime.locked {
            let id = try HDF5Runtime.checkID(
                H5Gopen2(try parent.validID(), name, npe_H5P_DEFAULT()), "H5Gopen2", path)
            return HDF5Handle(id, kind: .group, path: path)
        }
    }

    /// Whether a link `name` exists directly in the group (`H5Lexists`).
    static func linkExists(in parent: HDF5Handle, named name: String, path: String) throws -> Bool {
        try HDF5Runtime.locked {
            try HDF5Runtime.checkBool(H5Lexists(try parent.validID(), name, npe_H5P_DEFAULT()), "H5Lexists", path)
        }
    }

    /// Names of the group's links in name order.
    static func linkNames(in group: HDF5Handle) throws -> [String] {
        try HDF5Runtime.locked {
            let id = try group.validID()
            var info = H5G_info_t()
            try HDF5Runtime.check(H5Gget_info(id, &info), "H5Gget_info", group.path)
            return try (0..<info.nlinks).map { index in
                try readName(function: "H5Lget_name_by_idx", path: group.path) { buffer, size in
                    H5Lget_name_by_idx(id, ".", H5_INDEX_NAME, H5_ITER_INC, index, buffer, size, npe_H5P_DEFAULT())
                }
            }
        }
    }

    /// Calls an HDF5 "get name" function twice: once for the length, once to fill an exact buffer.
    static func readName(function: String, path: String,
                         _ call: (UnsafeMutablePointer<CChar>?, Int) -> Int) throws -> String {
        let length = try HDF5Runtime.checkCount(call(nil, 0), function, path)
        var buffer = [CChar](repeating: 0, count: length + 1)
        _ = try HDF5Runtime.checkCount(buffer.withUnsafeMutableBufferPointer { call($0.baseAddress, length + 1) },
                                       function, path)
        return String(decoding: buffer.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    // MARK: Types and dataspaces

    /// The in-memory (native) and on-disk (little-endian) HDF5 types of an element type we write.
    static func typeIDs(of element: HDF5ElementType) -> (memory: hid_t, file: hid_t)? {
        switch element {
        case .float32: return (npe_H5T_NATIVE_FLOAT(), npe_H5T_IEEE_F32LE())
        case .float64: return (npe_H5T_NATIVE_DOUBLE(), npe_H5T_IEEE_F64LE())
        case .int64: return (npe_H5T_NATIVE_INT64(), npe_H5T_STD_I64LE())
        case .uint8: return (npe_H5T_NATIVE_UINT8(), npe_H5T_STD_U8LE())
        case .uint32: return (npe_H5T_NATIVE_UINT32(), npe_H5T_STD_U32LE())
        case .string, .other: return nil
        }
    }

    /// Classifies a stored datatype. Byte order is ignored on purpose: HDF5 converts big-endian
    /// floats to native exactly, so only class, size and sign decide whether a read is lossless.
    static func elementType(of type: HDF5Handle) throws -> HDF5ElementType {
        try HDF5Runtime.locked {
            let id = try type.validID()
            let typeClass = H5Tget_class(id)
            guard typeClass != H5T_NO_CLASS else {
                throw HDF5Error.callFailed(function: "H5Tget_class", path: type.path, details: HDF5Runtime.drainErrorStack())
            }
            let size = H5Tget_size(id)
            switch typeClass {
            case H5T_FLOAT where size == 4: return .float32
            case H5T_FLOAT where size == 8: return .float64
            case H5T_INTEGER:
                let signed = H5Tget_sign(id) == H5T_SGN_2
                if signed && size == 8 { return .int64 }
                if !signed && size == 1 { return .uint8 }
                if !signed && size == 4 { return .uint32 }
                return .other("\(signed ? "int" : "uint")\(size * 8)")
            case H5T_STRING: return .string
            case H5T_FLOAT: return .other("float\(size * 8)")
            default: return .other("HDF5 type class \(typeClass.rawValue), \(size) bytes")
            }
        }
    }

    /// Current dimensions of a dataspace.
    static func dimensions(of space: HDF5Handle) throws -> [Int] {
        try HDF5Runtime.locked {
            let id = try space.validID()
            let rank = try HDF5Runtime.checkCount(H5Sget_simple_extent_ndims(id), "H5Sget_simple_extent_ndims", space.path)
            var dims = [hsize_t](repeating: 0, count: rank)
            _ = try HDF5Runtime.checkCount(H5Sget_simple_extent_dims(id, &dims, nil), "H5Sget_simple_extent_dims", space.path)
            return dims.map { Int($0) }
        }
    }

    static func simpleDataspace(_ dims: [Int], maximum: [Int?]? = nil, path: String) throws -> HDF5Handle {
        try HDF5Runtime.locked {
            let current = dims.map { hsize_t($0) }
            let id: hid_t
            if let maximum {
                let max = maximum.map { $0.map { hsize_t($0) } ?? npe_H5S_UNLIMITED() }
                id = H5Screate_simple(Int32(dims.count), current, max)
            } else {
                id = H5Screate_simple(Int32(dims.count), current, nil)
            }
            return HDF5Handle(try HDF5Runtime.checkID(id, "H5Screate_simple", path), kind: .dataspace, path: path)
        }
    }

    static func scalarDataspace(path: String) throws -> HDF5Handle {
        try HDF5Runtime.locked {
            HDF5Handle(try HDF5Runtime.checkID(H5Screate(H5S_SCALAR), "H5Screate", path), kind: .dataspace, path: path)
        }
    }

    /// A variable-length, UTF-8, NUL-terminated string type: what h5py writes for `str` and reads back as `str`.
    static func variableLengthUTF8StringType(path: String) throws -> HDF5Handle {
        try HDF5Runtime.locked {
            let type = HDF5Handle(try HDF5Runtime.checkID(H5Tcopy(npe_H5T_C_S1()), "H5Tcopy", path),
                                  kind: .datatype, path: path)
            let id = try type.validID()
            try HDF5Runtime.check(H5Tset_size(id, npe_H5T_VARIABLE()), "H5Tset_size", path)
            try HDF5Runtime.check(H5Tset_cset(id, H5T_CSET_UTF8), "H5Tset_cset", path)
            try HDF5Runtime.check(H5Tset_strpad(id, H5T_STR_NULLTERM), "H5Tset_strpad", path)
            return type
        }
    }
}
