import Glibc

/// Deleting a directory and everything under it without ever following a symbolic link.
///
/// A trace directory is the user's to delete, but what it links to is not: each entry is
/// examined with `fstatat(AT_SYMLINK_NOFOLLOW)`, directories are opened relative to their
/// parent with `O_NOFOLLOW | O_DIRECTORY` (so one swapped for a link meanwhile is refused, not
/// entered), and links are removed with `unlinkat` as the links they are.
public enum FileTree {
    /// Removes `path` and, if it is a directory, everything under it. A link at `path` itself
    /// is removed as a link.
    public static func remove(_ path: String) throws {
        try removeEntry(Array(path.utf8CString), in: AT_FDCWD, shownAs: path)
    }

    /// Removes the entry `name` (NUL-terminated bytes, since names need not be UTF-8) of the
    /// directory open as `parent`; `shown` is its path for error messages.
    private static func removeEntry(_ name: [CChar], in parent: Int32, shownAs shown: String) throws {
        var info = stat()
        try retryingOnInterrupt("inspect", path: shown) { fstatat(parent, name, &info, AT_SYMLINK_NOFOLLOW) }
        guard info.st_mode & S_IFMT == S_IFDIR else {
            try retryingOnInterrupt("remove", path: shown) { unlinkat(parent, name, 0) }
            return
        }
        let directory = try retryingOnInterrupt("open", path: shown) {
            openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        }
        defer { close(directory) }
        for child in try entries(of: directory, shownAs: shown) {
            let childName = String(decoding: child.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
            try removeEntry(child, in: directory, shownAs: shown + "/" + childName)
        }
        try retryingOnInterrupt("remove", path: shown) { unlinkat(parent, name, AT_REMOVEDIR) }
    }

    /// The names in an open directory, NUL-terminated, without `.` and `..`, read before any
    /// is removed.
    private static func entries(of directory: Int32, shownAs shown: String) throws -> [[CChar]] {
        // fdopendir takes over the descriptor it is given, so it gets a copy of its own.
        let copy = try retryingOnInterrupt("open", path: shown) { fcntl(directory, F_DUPFD_CLOEXEC, 0) }
        guard let stream = fdopendir(copy) else {
            let failure = Errno.current("list", path: shown)
            close(copy)
            throw failure
        }
        defer { closedir(stream) }
        let dot = Array(".".utf8CString), dotDot = Array("..".utf8CString)
        var names: [[CChar]] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                raw.prefix(while: { $0 != 0 }).map { CChar(bitPattern: $0) } + [0]
            }
            if name != dot && name != dotDot { names.append(name) }
        }
        return names
    }
}
