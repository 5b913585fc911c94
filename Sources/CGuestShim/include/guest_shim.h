#ifndef RRDBG_GUEST_SHIM_H
#define RRDBG_GUEST_SHIM_H

#include <stdint.h>
#include <sys/types.h>
#include <sys/user.h>

/// ptrace(2) with fixed arguments; glibc's ptrace is variadic, which Swift cannot call.
/// Returns the raw result; on failure -1 with errno set.
long rrdbg_ptrace(int request, pid_t pid, uint64_t addr, uint64_t data);

/// The wait status macros, which Swift cannot see because they are macros.
int rrdbg_wifexited(int status);
int rrdbg_wexitstatus(int status);
int rrdbg_wifsignaled(int status);
int rrdbg_wtermsig(int status);
int rrdbg_wcoredump(int status);
int rrdbg_wifstopped(int status);
int rrdbg_wstopsig(int status);

/// A standard descriptor the child must find closed, as rrdbg's was when it started.
#define RRDBG_STDIO_CLOSED (-2)

/// How the child is set up between fork and exec. Everything here runs in the child before
/// exec, so it is plain C calling only async-signal-safe functions.
struct rrdbg_spawn_request {
    const char *path;
    char *const *argv;
    char *const *envp;
    /// Descriptors to install as 0, 1 and 2 in the child, -1 to inherit, or RRDBG_STDIO_CLOSED
    /// to close.
    int stdio[3];
    /// Set RLIMIT_CORE to 0 (replay must not write core files).
    int disable_core_dumps;
    /// Pin the child to this CPU, or -1 to leave its affinity alone.
    int cpu;
    /// When set, every signal's disposition becomes SIG_DFL except those in `ignored_signals`
    /// (bit N-1 for signal N), which become SIG_IGN; replay uses it to start the guest with the
    /// dispositions the recorded program inherited.
    int set_signal_dispositions;
    uint64_t ignored_signals;
    /// Put the child in a process group of its own, out of the reach of the terminal's Ctrl-C
    /// (which goes to the foreground group): replays only take signals from the trace.
    int own_process_group;
};

/// The signals (bit N-1 for signal N) the calling process ignores: what a child inherits.
uint64_t rrdbg_ignored_signals(void);

/// Forks a child that stops itself under PTRACE_TRACEME, then (once the tracer resumes it)
/// disables address-space randomisation, makes rdtsc/rdtscp fault (PR_SET_TSC), installs the
/// seccomp filter that traces every syscall, and execs. If execve fails the child writes errno
/// to `exec_error_fd` and exits with status 127. Returns the child's pid or -1 with errno set.
pid_t rrdbg_spawn_traced(const struct rrdbg_spawn_request *request, int exec_error_fd);

/// process_vm_readv(2) for one contiguous range; glibc declares it only under _GNU_SOURCE.
ssize_t rrdbg_read_process_memory(pid_t pid, void *local, uint64_t remote, size_t length);

/// pipe2(fds, O_CLOEXEC); glibc declares pipe2 only under _GNU_SOURCE.
int rrdbg_pipe_cloexec(int fds[2]);

/// tgkill(2): sends `signal` to thread `tid` of thread group `tgid`. Returns 0, or -1 with errno.
int rrdbg_tgkill(pid_t tgid, pid_t tid, int signal);

/// Installs a handler for SIGINT, SIGTERM and SIGHUP that only counts them, so that the guest
/// kernel can end a recording cleanly from its own loop instead of dying in the handler.
void rrdbg_install_stop_request_handler(void);

/// How many of those signals have arrived since the handler was installed.
int rrdbg_stop_requests(void);

/// Pins the calling thread to `cpu`. Returns 0, or -1 with errno set.
int rrdbg_pin_current_thread(int cpu);

/// The lowest-numbered CPU this process may run on, or -1.
int rrdbg_first_allowed_cpu(void);

/// Executes cpuid natively in the recorder.
void rrdbg_cpuid(uint32_t leaf, uint32_t subleaf, uint32_t out[4]);

/// Executes rdtsc natively in the recorder.
uint64_t rrdbg_rdtsc(void);

/// Executes rdtscp natively in the recorder; stores IA32_TSC_AUX in *aux.
uint64_t rrdbg_rdtscp(uint32_t *aux);

#endif
