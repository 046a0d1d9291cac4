import Foundation

/// An HDF5 file, opened read-only or written atomically.
///
/// Writing never touches the final name until ``commit()``: a new file is built under a temporary
/// name in the same directory (`.<name>.<random>.partial`), and `commit()` closes it, fsyncs it,
/// renames it over the final name and fsyncs the directory. A process that dies before `commit()`
/// leaves at most the temporary file, never a half-written file at the final name. A writable file
/// released without `commit()` is abandoned: its temporary file is deleted.
///
/// Ownership: the file owns its HDF5 file identifier. Groups and datasets keep their file alive,
/// and the file closes every still-open group and dataset when it is committed or closed, after
/// which they throw ``HDF5Error/objectClosed(path:)``.
///
/// Thread safety: every HDF5 call in the process is serialised by one lock, so objects may be used
/// from any thread, but one file should be written by one writer at a time.
public final class HDF5File: @unchecked Sendable {
    /// How the file was opened.
    public enum Mode: Sendable {
        /// ``open(at:)``: reads only.
        case readOnly
        /// ``create(at:replacingExisting:)``: a new file, published by ``commit()``.
        case create
        /// ``openForUpdate(at:)``: a copy of an existing file, replacing it on ``commit()``.
        case update
    }

    /// The final location (where the file is, or will be after ``commit()``).
    public let url: URL
    /// How the file was opened.
    public let mode: Mode
    /// Where HDF5 actually reads and writes: a temporary sibling of `url` unless read-only.
    let workingPath: String
    let handle: HDF5Handle
    private var children: [WeakHandle] = []
    private var isFinished = false

    private init(url: URL, mode: Mode, workingPath: String, handle: HDF5Handle) {
        self.url = url
        self.mode = mode
        self.workingPath = workingPath
        self.handle = handle
    }

    /// Starts a new file that will appear at `url` on ``commit()``.
    /// - Parameter replacingExisting: when false, an existing file at `url` is an error (checked now
    ///   and again at commit).
    public static func create(at url: URL, replacingExisting: Bool = false) throws -> HDF5File {
        let finalPath = url.standardizedFileURL.path
        if !replacingExisting && POSIXFileCalls.fileExists(at: finalPath) {
            throw HDF5Error.invalidArgument(path: finalPath, reason: "file exists (not replacing it)")
        }
        let directory = url.standardizedFileURL.deletingLastPathComponent().path
        guard POSIXFileCalls.fileExists(at: directory) else {
            throw HDF5Error.invalidArgument(path: finalPath, reason: "directory \(directory) does not exist")
        }
        let temporary = temporaryPath(for: url)
        let handle = try H5.createFile(at: temporary, userBlockByteCount: HDF5FileSeal.userBlockByteCount)
        let file = HDF5File(url: url.standardizedFileURL, mode: .create, workingPath: temporary, handle: handle)
        file.replacesExisting = replacingExisting
        file.isSealed = true
        return file
    }

    /// Opens an existing file read-only. A sealed file (every file this type writes) is checked against its seal
    /// first, so a damaged one is refused before libhdf5 parses it (``HDF5FileSeal``); this reads the whole file once.
    ///
    /// - Throws: ``HDF5Error/sealMismatch(path:recorded:computed:)`` for a damaged sealed file,
    ///   ``HDF5Error/missingObject(path:)`` for a missing one, ``HDF5Error/invalidArgument(path:reason:)`` for a
    ///   directory, and HDF5's errors for a file it cannot parse.
    public static func open(at url: URL) throws -> HDF5File {
        let path = url.standardizedFileURL.path
        guard POSIXFileCalls.fileExists(at: path) else { throw HDF5Error.missingObject(path: path) }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw HDF5Error.invalidArgument(path: path, reason: "is a directory, not an HDF5 file")
        }
        try HDF5FileSeal.verify(path: path)
        let handle = try H5.openFile(at: path, writable: false)
        return HDF5File(url: url.standardizedFileURL, mode: .readOnly, workingPath: path, handle: handle)
    }

    /// Opens an existing file for changes, atomically: the file is copied to a temporary name, the
    /// changes go to the copy, and ``commit()`` replaces the original. Until then readers see the
    /// original, and abandoning the update leaves it untouched.
    public static func openForUpdate(at url: URL) throws -> HDF5File {
        let path = url.standardizedFileURL.path
        guard POSIXFileCalls.fileExists(at: path) else { throw HDF5Error.missingObject(path: path) }
        let sealed = try HDF5FileSeal.verify(path: path)
        let temporary = temporaryPath(for: url)
        do {
            try FileManager.default.copyItem(atPath: path, toPath: temporary)
        } catch {
            throw HDF5Error.invalidArgument(path: path, reason: "cannot copy for update: \(error)")
        }
        do {
            let handle = try H5.openFile(at: temporary, writable: true)
            let file = HDF5File(url: url.standardizedFileURL, mode: .update, workingPath: temporary, handle: handle)
            file.replacesExisting = true
            file.isSealed = sealed  // a foreign file has no user block to hold a seal
            return file
        } catch {
            try? POSIXFileCalls.removeFile(at: temporary)
            throw error
        }
    }

    private var replacesExisting = false
    /// Whether the file has our user block, so ``commit()`` seals it.
    private var isSealed = false

    /// The root group `/`.
    public func root() throws -> HDF5Group {
        try HDF5Group(file: self, handle: H5.openGroup(in: handle, named: "/", path: displayPath("/")), objectPath: "/")
    }

    /// Makes a written file durable and visible at ``url``; closes everything opened from it.
    /// Read-only files cannot be committed.
    public func commit() throws {
        guard mode != .readOnly else {
            throw HDF5Error.invalidArgument(path: url.path, reason: "commit() on a read-only file")
        }
        guard !isFinished else { throw HDF5Error.objectClosed(path: url.path) }
        do {
            try closeEverything()
            if !replacesExisting && POSIXFileCalls.fileExists(at: url.path) {
                throw HDF5Error.invalidArgument(path: url.path, reason: "file appeared before commit (not replacing it)")
            }
            if isSealed { try HDF5FileSeal.seal(path: workingPath) }
            try POSIXFileCalls.synchronizeFile(at: workingPath)
            try POSIXFileCalls.move(workingPath, replacing: url.path)
        } catch {
            // Nothing was published; do not leave the temporary file behind either.
            try? POSIXFileCalls.removeFile(at: workingPath)
            throw error
        }
        try POSIXFileCalls.synchronizeDirectory(at: url.deletingLastPathComponent().path)
    }

    /// Closes the file. A read-only file is simply closed; an uncommitted writable file is abandoned
    /// and its temporary file removed (nothing appears at ``url``). Calling it twice does nothing.
    public func close() throws {
        guard !isFinished else { return }
        try closeEverything()
        if mode != .readOnly { try POSIXFileCalls.removeFile(at: workingPath) }
    }

    /// True until ``commit()`` or ``close()``.
    public var isOpen: Bool { HDF5Runtime.locked { !isFinished } }

    deinit {
        if !isFinished {
            try? handle.close()
            if mode != .readOnly { try? POSIXFileCalls.removeFile(at: workingPath) }
        }
    }

    // MARK: Internal

    /// `"<final file path>:<object path>"`: errors name the file users know, not the temporary one.
    func displayPath(_ objectPath: String) -> String { "\(url.path):\(objectPath)" }

    var isWritable: Bool { mode != .readOnly }

    /// Remembers a group or dataset handle so that commit/close can close it first: HDF5 keeps a
    /// file open while any of its objects is open, and we must not rename a file still being written.
    func adopt(_ child: HDF5Handle) {
        HDF5Runtime.locked {
            children.removeAll { $0.handle == nil }
            children.append(WeakHandle(handle: child))
        }
    }

    private func closeEverything() throws {
        try HDF5Runtime.locked {
            isFinished = true
            var firstError: Error?
            for child in children {
                do { try child.handle?.close() } catch { firstError = firstError ?? error }
            }
            children.removeAll()
            if isWritable { do { try H5.flush(handle) } catch { firstError = firstError ?? error } }
            do { try handle.close() } catch { firstError = firstError ?? error }
            if let firstError { throw firstError }
        }
    }

    /// Deletes temporary files left next to `url` by writers that died before committing
    /// (`.<name>.<hex>.partial`) and returns their names. Call it only when no writer for `url` is
    /// running, e.g. when a build resumes.
    @discardableResult
    public static func removeAbandonedTemporaryFiles(for url: URL) throws -> [String] {
        let directory = url.standardizedFileURL.deletingLastPathComponent().path
        let prefix = ".\(url.lastPathComponent)."
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw HDF5Error.invalidArgument(path: directory, reason: "cannot list directory: \(error)")
        }
        let abandoned = names.filter { $0.hasPrefix(prefix) && $0.hasSuffix(".partial") }.sorted()
        for name in abandoned { try POSIXFileCalls.removeFile(at: "\(directory)/\(name)") }
        return abandoned
    }

    private static func temporaryPath(for url: URL) -> String {
        let directory = url.standardizedFileURL.deletingLastPathComponent().path
        let token = String(UInt64.random(in: 0...UInt64.max), radix: 16)
        return "\(directory)/.\(url.lastPathComponent).\(token).partial"
    }
}
