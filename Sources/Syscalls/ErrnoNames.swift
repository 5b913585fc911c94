import Glibc

/// Error numbers by name and description, for showing failed calls as strace does:
/// `= -1 ENOENT (No such file or directory)`.
extension SyscallFormatter {
    /// The symbolic name of error `number` (`ENOENT` for 2), or nil if Linux has none.
    /// Covers the kernel-internal restart codes too, because a tracer sees those at syscall
    /// exit when a signal interrupts a call.
    public static func errnoName(_ number: Int) -> String? {
        if let restart = restartCodes[number] {
            return restart.name
        }
        guard errnoNames.indices.contains(number), !errnoNames[number].isEmpty else { return nil }
        return errnoNames[number]
    }

    /// The C library's description of error `number`, or the kernel's meaning for a restart
    /// code, which the C library never sees and so has no text for.
    public static func errnoMessage(_ number: Int) -> String {
        if let restart = restartCodes[number] {
            return restart.message
        }
        return String(cString: strerror(Int32(clamping: number)))
    }

    /// Whether `number` is one of the kernel-internal restart codes (512...516). The guest never
    /// sees these: the kernel restarts the call or turns them into `EINTR`.
    public static func isRestartCode(_ number: Int) -> Bool {
        restartCodes[number] != nil
    }

    /// Linux's error names by number. Numbers 41 and 58 are aliases' slots (EWOULDBLOCK is
    /// EAGAIN, EDEADLOCK is EDEADLK) and have no name of their own.
    static let errnoNames = [
        "", "EPERM", "ENOENT", "ESRCH", "EINTR", "EIO", "ENXIO", "E2BIG", "ENOEXEC", "EBADF",
        /* 10 */ "ECHILD", "EAGAIN", "ENOMEM", "EACCES", "EFAULT", "ENOTBLK", "EBUSY", "EEXIST",
        /* 18 */ "EXDEV", "ENODEV", "ENOTDIR", "EISDIR", "EINVAL", "ENFILE", "EMFILE", "ENOTTY",
        /* 26 */ "ETXTBSY", "EFBIG", "ENOSPC", "ESPIPE", "EROFS", "EMLINK", "EPIPE", "EDOM",
        /* 34 */ "ERANGE", "EDEADLK", "ENAMETOOLONG", "ENOLCK", "ENOSYS", "ENOTEMPTY", "ELOOP", "",
        /* 42 */ "ENOMSG", "EIDRM", "ECHRNG", "EL2NSYNC", "EL3HLT", "EL3RST", "ELNRNG", "EUNATCH",
        /* 50 */ "ENOCSI", "EL2HLT", "EBADE", "EBADR", "EXFULL", "ENOANO", "EBADRQC", "EBADSLT", "",
        /* 59 */ "EBFONT", "ENOSTR", "ENODATA", "ETIME", "ENOSR", "ENONET", "ENOPKG", "EREMOTE",
        /* 67 */ "ENOLINK", "EADV", "ESRMNT", "ECOMM", "EPROTO", "EMULTIHOP", "EDOTDOT", "EBADMSG",
        /* 75 */ "EOVERFLOW", "ENOTUNIQ", "EBADFD", "EREMCHG", "ELIBACC", "ELIBBAD", "ELIBSCN",
        /* 82 */ "ELIBMAX", "ELIBEXEC", "EILSEQ", "ERESTART", "ESTRPIPE", "EUSERS", "ENOTSOCK",
        /* 89 */ "EDESTADDRREQ", "EMSGSIZE", "EPROTOTYPE", "ENOPROTOOPT", "EPROTONOSUPPORT",
        /* 94 */ "ESOCKTNOSUPPORT", "EOPNOTSUPP", "EPFNOSUPPORT", "EAFNOSUPPORT", "EADDRINUSE",
        /* 99 */ "EADDRNOTAVAIL", "ENETDOWN", "ENETUNREACH", "ENETRESET", "ECONNABORTED",
        /* 104 */ "ECONNRESET", "ENOBUFS", "EISCONN", "ENOTCONN", "ESHUTDOWN", "ETOOMANYREFS",
        /* 110 */ "ETIMEDOUT", "ECONNREFUSED", "EHOSTDOWN", "EHOSTUNREACH", "EALREADY",
        /* 115 */ "EINPROGRESS", "ESTALE", "EUCLEAN", "ENOTNAM", "ENAVAIL", "EISNAM", "EREMOTEIO",
        /* 122 */ "EDQUOT", "ENOMEDIUM", "EMEDIUMTYPE", "ECANCELED", "ENOKEY", "EKEYEXPIRED",
        /* 128 */ "EKEYREVOKED", "EKEYREJECTED", "EOWNERDEAD", "ENOTRECOVERABLE", "ERFKILL",
        /* 133 */ "EHWPOISON",
    ]

    /// The codes a syscall-exit stop can show when a signal interrupted the call.
    static let restartCodes: [Int: (name: String, message: String)] = [
        512: ("ERESTARTSYS", "restarted if the handler has SA_RESTART"),
        513: ("ERESTARTNOINTR", "always restarted"),
        514: ("ERESTARTNOHAND", "restarted if no handler runs"),
        515: ("ENOIOCTLCMD", "ioctl not handled by the driver"),
        516: ("ERESTART_RESTARTBLOCK", "restarted through restart_syscall"),
    ]
}
