import CHDF5

/// Owns exactly one HDF5 identifier and closes it exactly once.
///
/// Ownership: whoever creates a handle through an `H5` wrapper function owns it; the identifier is
/// released by ``close()`` or, at the latest, in `deinit`. No other code calls an `H5*close` on it.
/// After closing, ``id`` is invalid and ``validID()`` throws ``HDF5Error/objectClosed(path:)``, so a
/// dataset used after its file was committed fails loudly instead of touching a recycled id.
final class HDF5Handle {
    enum Kind {
        case file, group, dataset, attribute, dataspace, datatype, propertyList

        /// The matching close function, and its name for error messages.
        fileprivate var closer: (name: String, close: (hid_t) -> herr_t) {
            switch self {
            case .file: return ("H5Fclose", H5Fclose)
            case .group: return ("H5Gclose", H5Gclose)
            case .dataset: return ("H5Dclose", H5Dclose)
            case .attribute: return ("H5Aclose", H5Aclose)
            case .dataspace: return ("H5Sclose", H5Sclose)
            case .datatype: return ("H5Tclose", H5Tclose)
            case .propertyList: return ("H5Pclose", H5Pclose)
            }
        }
    }

    let kind: Kind
    /// `"<file>:<object>"`, used in every error about this object.
    let path: String
    private var rawID: hid_t

    /// Takes ownership of `id`, which must be a valid identifier of `kind`.
    init(_ id: hid_t, kind: Kind, path: String) {
        self.rawID = id
        self.kind = kind
        self.path = path
    }

    var isOpen: Bool { HDF5Runtime.locked { rawID >= 0 } }

    /// The identifier, or ``HDF5Error/objectClosed(path:)`` once closed.
    func validID() throws -> hid_t {
        try HDF5Runtime.locked {
            guard rawID >= 0 else { throw HDF5Error.objectClosed(path: path) }
            return rawID
        }
    }

    /// Closes the identifier; later calls do nothing.
    func close() throws {
        try HDF5Runtime.locked {
            guard rawID >= 0 else { return }
            let id = rawID
            rawID = -1
            let closer = kind.closer
            try HDF5Runtime.check(closer.close(id), closer.name, path)
        }
    }

    deinit {
        // A failure to close in deinit cannot be reported; the explicit close() paths report it.
        try? close()
    }
}

/// A weak reference, so a file can close its still-open children at commit without keeping them alive.
struct WeakHandle {
    weak var handle: HDF5Handle?
}
