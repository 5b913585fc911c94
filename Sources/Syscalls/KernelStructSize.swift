/// Sizes, in bytes, of the structures the x86-64 kernel copies out to user space.
enum KernelStructSize {
    static let int = 4
    static let long = 8
    static let stat = 144
    static let statx = 256
    static let statfs = 120
    static let timespec = 16
    static let timeval = 16
    static let timezone = 8
    static let itimerval = 32
    static let itimerspec = 32
    static let tms = 32
    static let rusage = 144
    static let utsname = 390
    static let sysinfo = 112
    static let rlimit = 16
    /// The kernel's own `struct sigaction`: handler, flags, restorer and an 8-byte mask. The
    /// kernel rejects any `sigsetsize` other than 8, so this is the only size it writes.
    static let sigaction = 32
    static let stackT = 24
    static let siginfo = 128
    /// `struct epoll_event` is packed on x86-64: a 4-byte mask then 8 bytes of data.
    static let epollEvent = 12
    static let pollfd = 8
    static let iovec = 16
    static let msghdr = 56
    /// `struct mmsghdr`: a `msghdr`, the 4-byte `msg_len`, and 4 bytes of padding.
    static let mmsghdr = 64
    static let flock = 32
    static let termios = 36
    static let winsize = 8
    /// `struct sockaddr_storage`, the largest address any socket family returns.
    static let sockaddrStorage = 128
    static let page = 4096
    /// `UIO_MAXIOV`: the kernel refuses longer iovec arrays, so a successful call never
    /// used more entries than this.
    static let maxIovecs = 1024
}
