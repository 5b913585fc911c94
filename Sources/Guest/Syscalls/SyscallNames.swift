/// The names of the x86-64 system calls, indexed by number.
///
/// The kernel numbers x86-64 calls densely from 0 to 334, leaves 335...423 unused (those
/// numbers belong to the 32-bit ABIs' y2038 calls, which x86-64 never needed), and continues
/// densely from 424, where all architectures share one numbering. Kept as two arrays so a
/// number maps to its name by indexing, and each line's comment gives the number of its first
/// name so the table can be checked by eye against `<asm/unistd_64.h>`.
enum SyscallNames {
    /// The highest system call number rrdbg knows by name (`mseal`, Linux 6.10).
    static let highestKnownNumber = 462

    /// The first number of the shared numbering that follows the unused gap.
    static let sharedRangeStart = 424

    /// Calls 0...334.
    static let classic: [String] = [
        /* 0 */ "read", "write", "open", "close", "stat", "fstat", "lstat", "poll", "lseek", "mmap",
        /* 10 */ "mprotect", "munmap", "brk", "rt_sigaction", "rt_sigprocmask", "rt_sigreturn",
        /* 16 */ "ioctl", "pread64", "pwrite64", "readv", "writev", "access", "pipe", "select",
        /* 24 */ "sched_yield", "mremap", "msync", "mincore", "madvise", "shmget", "shmat",
        /* 31 */ "shmctl", "dup", "dup2", "pause", "nanosleep", "getitimer", "alarm", "setitimer",
        /* 39 */ "getpid", "sendfile", "socket", "connect", "accept", "sendto", "recvfrom",
        /* 46 */ "sendmsg", "recvmsg", "shutdown", "bind", "listen", "getsockname", "getpeername",
        /* 53 */ "socketpair", "setsockopt", "getsockopt", "clone", "fork", "vfork", "execve",
        /* 60 */ "exit", "wait4", "kill", "uname", "semget", "semop", "semctl", "shmdt", "msgget",
        /* 69 */ "msgsnd", "msgrcv", "msgctl", "fcntl", "flock", "fsync", "fdatasync", "truncate",
        /* 77 */ "ftruncate", "getdents", "getcwd", "chdir", "fchdir", "rename", "mkdir", "rmdir",
        /* 85 */ "creat", "link", "unlink", "symlink", "readlink", "chmod", "fchmod", "chown",
        /* 93 */ "fchown", "lchown", "umask", "gettimeofday", "getrlimit", "getrusage", "sysinfo",
        /* 100 */ "times", "ptrace", "getuid", "syslog", "getgid", "setuid", "setgid", "geteuid",
        /* 108 */ "getegid", "setpgid", "getppid", "getpgrp", "setsid", "setreuid", "setregid",
        /* 115 */ "getgroups", "setgroups", "setresuid", "getresuid", "setresgid", "getresgid",
        /* 121 */ "getpgid", "setfsuid", "setfsgid", "getsid", "capget", "capset", "rt_sigpending",
        /* 128 */ "rt_sigtimedwait", "rt_sigqueueinfo", "rt_sigsuspend", "sigaltstack", "utime",
        /* 133 */ "mknod", "uselib", "personality", "ustat", "statfs", "fstatfs", "sysfs",
        /* 140 */ "getpriority", "setpriority", "sched_setparam", "sched_getparam",
        /* 144 */ "sched_setscheduler", "sched_getscheduler", "sched_get_priority_max",
        /* 147 */ "sched_get_priority_min", "sched_rr_get_interval", "mlock", "munlock", "mlockall",
        /* 152 */ "munlockall", "vhangup", "modify_ldt", "pivot_root", "_sysctl", "prctl",
        /* 158 */ "arch_prctl", "adjtimex", "setrlimit", "chroot", "sync", "acct", "settimeofday",
        /* 165 */ "mount", "umount2", "swapon", "swapoff", "reboot", "sethostname", "setdomainname",
        /* 172 */ "iopl", "ioperm", "create_module", "init_module", "delete_module",
        /* 177 */ "get_kernel_syms", "query_module", "quotactl", "nfsservctl", "getpmsg", "putpmsg",
        /* 183 */ "afs_syscall", "tuxcall", "security", "gettid", "readahead", "setxattr",
        /* 189 */ "lsetxattr", "fsetxattr", "getxattr", "lgetxattr", "fgetxattr", "listxattr",
        /* 195 */ "llistxattr", "flistxattr", "removexattr", "lremovexattr", "fremovexattr",
        /* 200 */ "tkill", "time", "futex", "sched_setaffinity", "sched_getaffinity",
        /* 205 */ "set_thread_area", "io_setup", "io_destroy", "io_getevents", "io_submit",
        /* 210 */ "io_cancel", "get_thread_area", "lookup_dcookie", "epoll_create", "epoll_ctl_old",
        /* 215 */ "epoll_wait_old", "remap_file_pages", "getdents64", "set_tid_address",
        /* 219 */ "restart_syscall", "semtimedop", "fadvise64", "timer_create", "timer_settime",
        /* 224 */ "timer_gettime", "timer_getoverrun", "timer_delete", "clock_settime",
        /* 228 */ "clock_gettime", "clock_getres", "clock_nanosleep", "exit_group", "epoll_wait",
        /* 233 */ "epoll_ctl", "tgkill", "utimes", "vserver", "mbind", "set_mempolicy",
        /* 239 */ "get_mempolicy", "mq_open", "mq_unlink", "mq_timedsend", "mq_timedreceive",
        /* 244 */ "mq_notify", "mq_getsetattr", "kexec_load", "waitid", "add_key", "request_key",
        /* 250 */ "keyctl", "ioprio_set", "ioprio_get", "inotify_init", "inotify_add_watch",
        /* 255 */ "inotify_rm_watch", "migrate_pages", "openat", "mkdirat", "mknodat", "fchownat",
        /* 261 */ "futimesat", "newfstatat", "unlinkat", "renameat", "linkat", "symlinkat",
        /* 267 */ "readlinkat", "fchmodat", "faccessat", "pselect6", "ppoll", "unshare",
        /* 273 */ "set_robust_list", "get_robust_list", "splice", "tee", "sync_file_range",
        /* 278 */ "vmsplice", "move_pages", "utimensat", "epoll_pwait", "signalfd",
        /* 283 */ "timerfd_create", "eventfd", "fallocate", "timerfd_settime", "timerfd_gettime",
        /* 288 */ "accept4", "signalfd4", "eventfd2", "epoll_create1", "dup3", "pipe2",
        /* 294 */ "inotify_init1", "preadv", "pwritev", "rt_tgsigqueueinfo", "perf_event_open",
        /* 299 */ "recvmmsg", "fanotify_init", "fanotify_mark", "prlimit64", "name_to_handle_at",
        /* 304 */ "open_by_handle_at", "clock_adjtime", "syncfs", "sendmmsg", "setns", "getcpu",
        /* 310 */ "process_vm_readv", "process_vm_writev", "kcmp", "finit_module", "sched_setattr",
        /* 315 */ "sched_getattr", "renameat2", "seccomp", "getrandom", "memfd_create",
        /* 320 */ "kexec_file_load", "bpf", "execveat", "userfaultfd", "membarrier", "mlock2",
        /* 326 */ "copy_file_range", "preadv2", "pwritev2", "pkey_mprotect", "pkey_alloc",
        /* 331 */ "pkey_free", "statx", "io_pgetevents", "rseq",
    ]

    /// Calls 424...462.
    static let shared: [String] = [
        /* 424 */ "pidfd_send_signal", "io_uring_setup", "io_uring_enter", "io_uring_register",
        /* 428 */ "open_tree", "move_mount", "fsopen", "fsconfig", "fsmount", "fspick",
        /* 434 */ "pidfd_open", "clone3", "close_range", "openat2", "pidfd_getfd", "faccessat2",
        /* 440 */ "process_madvise", "epoll_pwait2", "mount_setattr", "quotactl_fd",
        /* 444 */ "landlock_create_ruleset", "landlock_add_rule", "landlock_restrict_self",
        /* 447 */ "memfd_secret", "process_mrelease", "futex_waitv", "set_mempolicy_home_node",
        /* 451 */ "cachestat", "fchmodat2", "map_shadow_stack", "futex_wake", "futex_wait",
        /* 456 */ "futex_requeue", "statmount", "listmount", "lsm_get_self_attr",
        /* 460 */ "lsm_set_self_attr", "lsm_list_modules", "mseal",
    ]

    /// The name of call `number`, or nil if x86-64 has no call with that number.
    static func name(of number: Int) -> String? {
        if classic.indices.contains(number) {
            return classic[number]
        }
        let sharedIndex = number - sharedRangeStart
        return shared.indices.contains(sharedIndex) ? shared[sharedIndex] : nil
    }

    /// Every named call as (number, name), in number order.
    static let all: [(number: Int, name: String)] =
        classic.enumerated().map { ($0.offset, $0.element) }
        + shared.enumerated().map { (sharedRangeStart + $0.offset, $0.element) }

    /// Numbers by name, for looking a call up by what it is called.
    static let numbersByName: [String: Int] = Dictionary(
        uniqueKeysWithValues: all.map { ($0.name, $0.number) }
    )
}
