#define _GNU_SOURCE
#include "guest_shim.h"

#include <cpuid.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

long rrdbg_ptrace(int request, pid_t pid, uint64_t addr, uint64_t data) {
    return ptrace((enum __ptrace_request)request, pid, (void *)addr, (void *)data);
}

int rrdbg_wifexited(int status) { return WIFEXITED(status); }
int rrdbg_wexitstatus(int status) { return WEXITSTATUS(status); }
int rrdbg_wifsignaled(int status) { return WIFSIGNALED(status); }
int rrdbg_wtermsig(int status) { return WTERMSIG(status); }
int rrdbg_wcoredump(int status) { return WCOREDUMP(status); }
int rrdbg_wifstopped(int status) { return WIFSTOPPED(status); }
int rrdbg_wstopsig(int status) { return WSTOPSIG(status); }

/* Every syscall stops in the tracer, except rseq, which fails with ENOSYS: the kernel writes
   CPU numbers into rseq areas asynchronously, which replay could not reproduce. */
static int install_seccomp_filter(void) {
    struct sock_filter program[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_rseq, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE),
    };
    struct sock_fprog filter = {
        .len = (unsigned short)(sizeof(program) / sizeof(program[0])),
        .filter = program,
    };
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return -1;
    return (int)syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, 0, &filter);
}

static void report_and_exit(int fd) {
    int error = errno;
    ssize_t ignored = write(fd, &error, sizeof error);
    (void)ignored;
    _exit(127);
}

pid_t rrdbg_spawn_traced(const struct rrdbg_spawn_request *request, int exec_error_fd) {
    pid_t pid = fork();
    if (pid != 0) return pid;

    /* The guest kernel blocks SIGCHLD in its own thread to wait for stops with a timeout. */
    sigset_t child_signal;
    sigemptyset(&child_signal);
    sigaddset(&child_signal, SIGCHLD);
    sigprocmask(SIG_UNBLOCK, &child_signal, NULL);

    for (int target = 0; target < 3; target++) {
        int source = request->stdio[target];
        if (source == RRDBG_STDIO_CLOSED) close(target);
        else if (source >= 0 && source != target && dup2(source, target) < 0) report_and_exit(exec_error_fd);
    }
    if (request->set_signal_dispositions) {
        for (int number = 1; number < 64; number++) {
            if (number == SIGKILL || number == SIGSTOP) continue;
            signal(number, (request->ignored_signals >> (number - 1)) & 1 ? SIG_IGN : SIG_DFL);
        }
    }
    if (request->own_process_group && setpgid(0, 0) != 0) report_and_exit(exec_error_fd);
    if (request->disable_core_dumps) {
        struct rlimit none = {0, 0};
        setrlimit(RLIMIT_CORE, &none);
    }
    if (request->cpu >= 0) {
        cpu_set_t only;
        CPU_ZERO(&only);
        CPU_SET(request->cpu, &only);
        if (sched_setaffinity(0, sizeof only, &only) != 0) report_and_exit(exec_error_fd);
    }
    if (ptrace(PTRACE_TRACEME, 0, 0, 0) != 0) report_and_exit(exec_error_fd);
    /* The tracer sets its options (EXITKILL, TRACESECCOMP, ...) while we are stopped here. */
    raise(SIGSTOP);
    if (personality(ADDR_NO_RANDOMIZE) == -1) report_and_exit(exec_error_fd);
    if (prctl(PR_SET_TSC, PR_TSC_SIGSEGV, 0, 0, 0) != 0) report_and_exit(exec_error_fd);
    if (install_seccomp_filter() != 0) report_and_exit(exec_error_fd);
    execve(request->path, request->argv, request->envp);
    report_and_exit(exec_error_fd);
    return -1;
}

ssize_t rrdbg_read_process_memory(pid_t pid, void *local, uint64_t remote, size_t length) {
    struct iovec local_range = {local, length};
    struct iovec remote_range = {(void *)remote, length};
    return process_vm_readv(pid, &local_range, 1, &remote_range, 1, 0);
}

int rrdbg_pipe_cloexec(int fds[2]) { return pipe2(fds, O_CLOEXEC); }

uint64_t rrdbg_ignored_signals(void) {
    uint64_t ignored = 0;
    for (int number = 1; number < 64; number++) {
        struct sigaction current;
        if (sigaction(number, NULL, &current) == 0 && current.sa_handler == SIG_IGN) ignored |= 1ULL << (number - 1);
    }
    return ignored;
}

int rrdbg_tgkill(pid_t tgid, pid_t tid, int signal) { return (int)syscall(SYS_tgkill, tgid, tid, signal); }

static volatile sig_atomic_t stop_requests;

static void count_stop_request(int signal) {
    (void)signal;
    stop_requests++;
}

void rrdbg_install_stop_request_handler(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = count_stop_request;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, NULL);
    sigaction(SIGTERM, &action, NULL);
    sigaction(SIGHUP, &action, NULL);
}

int rrdbg_stop_requests(void) { return stop_requests; }

int rrdbg_pin_current_thread(int cpu) {
    cpu_set_t only;
    CPU_ZERO(&only);
    CPU_SET(cpu, &only);
    return sched_setaffinity(0, sizeof only, &only);
}

int rrdbg_first_allowed_cpu(void) {
    cpu_set_t allowed;
    if (sched_getaffinity(0, sizeof allowed, &allowed) != 0) return -1;
    for (int cpu = 0; cpu < CPU_SETSIZE; cpu++) {
        if (CPU_ISSET(cpu, &allowed)) return cpu;
    }
    return -1;
}

void rrdbg_cpuid(uint32_t leaf, uint32_t subleaf, uint32_t out[4]) {
    __cpuid_count(leaf, subleaf, out[0], out[1], out[2], out[3]);
}

uint64_t rrdbg_rdtsc(void) {
    uint32_t low, high;
    __asm__ volatile("rdtsc" : "=a"(low), "=d"(high));
    return ((uint64_t)high << 32) | low;
}

uint64_t rrdbg_rdtscp(uint32_t *aux) {
    uint32_t low, high, tsc_aux;
    __asm__ volatile("rdtscp" : "=a"(low), "=d"(high), "=c"(tsc_aux));
    *aux = tsc_aux;
    return ((uint64_t)high << 32) | low;
}
