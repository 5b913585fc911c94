/* Signal delivery in many forms: SA_SIGINFO with a queued value, a handler on an alternate
 * stack, SA_RESTART around a blocking read, sigsuspend, pause, sigtimedwait, signalfd,
 * timerfd, a POSIX timer, SIGCHLD, a signal sent by another process, and finally abort. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile int queued_value, on_altstack, chld_seen, usr2_count;
static char alternate[1 << 16];

static void on_info(int signal, siginfo_t *info, void *context) {
    (void)signal; (void)context;
    queued_value = info->si_value.sival_int;
}

static void on_alt(int signal) {
    (void)signal;
    int local;
    on_altstack = (char *)&local >= alternate && (char *)&local < alternate + sizeof alternate;
}

static void on_chld(int signal) { (void)signal; chld_seen++; }
static void on_usr2(int signal) { (void)signal; usr2_count++; }

static void install(int signal, void (*handler)(int), int flags) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = handler;
    action.sa_flags = flags;
    sigaction(signal, &action, NULL);
}

int main(void) {
    struct sigaction info_action;
    memset(&info_action, 0, sizeof info_action);
    info_action.sa_sigaction = on_info;
    info_action.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR1, &info_action, NULL);
    sigqueue(getpid(), SIGUSR1, (union sigval){.sival_int = 4242});
    printf("sigqueue value %d\n", queued_value);

    stack_t stack = {.ss_sp = alternate, .ss_size = sizeof alternate};
    sigaltstack(&stack, NULL);
    install(SIGWINCH, on_alt, SA_ONSTACK);
    raise(SIGWINCH);
    printf("handler on the alternate stack: %d\n", on_altstack);

    install(SIGCHLD, on_chld, SA_RESTART);
    install(SIGUSR2, on_usr2, SA_RESTART);
    int fds[2];
    if (pipe(fds) != 0) return 1;
    pid_t parent = getpid();
    pid_t child = fork();
    if (child == 0) {
        struct timespec pause = {0, 30000000};
        nanosleep(&pause, NULL);
        kill(parent, SIGUSR2);
        nanosleep(&pause, NULL);
        if (write(fds[1], "x", 1) != 1) _exit(1);
        _exit(0);
    }
    char byte = 0;
    ssize_t got = read(fds[0], &byte, 1);
    printf("read %zd byte '%c' across SIGUSR2 (%d) with SA_RESTART\n", got, byte, usr2_count);
    waitpid(child, NULL, 0);
    printf("SIGCHLD handled %d time(s)\n", chld_seen);

    sigset_t usr1, old;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    sigprocmask(SIG_BLOCK, &usr1, &old);
    sigqueue(getpid(), SIGUSR1, (union sigval){.sival_int = 7});
    sigsuspend(&old);
    printf("sigsuspend woke with value %d\n", queued_value);

    alarm(1);
    install(SIGALRM, on_chld, 0);
    chld_seen = 0;
    pause();
    printf("pause returned after SIGALRM (%d)\n", chld_seen);

    sigqueue(getpid(), SIGUSR1, (union sigval){.sival_int = 99});
    siginfo_t info;
    int taken = sigtimedwait(&usr1, &info, &(struct timespec){1, 0});
    printf("sigtimedwait took %d with value %d\n", taken, info.si_value.sival_int);

    int signals = signalfd(-1, &usr1, 0);
    raise(SIGUSR1);
    struct signalfd_siginfo delivered;
    if (read(signals, &delivered, sizeof delivered) != sizeof delivered) return 1;
    printf("signalfd read signal %u\n", delivered.ssi_signo);

    int ticker = timerfd_create(CLOCK_MONOTONIC, 0);
    struct itimerspec every = {{0, 5000000}, {0, 5000000}};
    timerfd_settime(ticker, 0, &every, NULL);
    uint64_t expirations = 0;
    struct timespec wait = {0, 23000000};
    nanosleep(&wait, NULL);
    if (read(ticker, &expirations, sizeof expirations) != sizeof expirations) return 1;
    printf("timerfd expired %s\n", expirations > 0 ? "at least once" : "never");
    printf("expirations %llu\n", (unsigned long long)expirations);

    timer_t timer;
    struct sigevent event = {.sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGUSR2};
    timer_create(CLOCK_MONOTONIC, &event, &timer);
    usr2_count = 0;
    struct itimerspec once = {{0, 0}, {0, 2000000}};
    timer_settime(timer, 0, &once, NULL);
    while (usr2_count == 0) {}
    printf("POSIX timer fired\n");
    fflush(stdout);
    abort();
}
