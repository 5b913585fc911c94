/* A blocked SIGALRM gets in only during ppoll, pselect and epoll_pwait, whose signal masks
 * unblock it: each wait is interrupted, the handler runs, and the signal is blocked again. */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/time.h>
#include <time.h>

static volatile int alarms;

static void on_alarm(int signal) {
    (void)signal;
    alarms++;
}

static void arm(void) {
    struct itimerval once = {{0, 0}, {0, 20000}};
    setitimer(ITIMER_REAL, &once, NULL);
}

static int still_blocked(void) {
    sigset_t now;
    sigprocmask(SIG_BLOCK, NULL, &now);
    return sigismember(&now, SIGALRM);
}

int main(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_alarm;
    sigaction(SIGALRM, &action, NULL);
    sigset_t blocked, open;
    sigemptyset(&blocked);
    sigaddset(&blocked, SIGALRM);
    sigprocmask(SIG_BLOCK, &blocked, &open);

    arm();
    struct timespec second = {1, 0};
    int polled = ppoll(NULL, 0, &second, &open);
    printf("ppoll: %d (%s), alarms %d, blocked again %d\n", polled, polled < 0 ? strerror(errno) : "-", alarms, still_blocked());

    arm();
    int selected = pselect(0, NULL, NULL, NULL, &second, &open);
    printf("pselect: %d (%s), alarms %d, blocked again %d\n", selected, selected < 0 ? strerror(errno) : "-", alarms, still_blocked());

    arm();
    int poller = epoll_create1(0);
    struct epoll_event event;
    int waited = epoll_pwait(poller, &event, 1, 1000, &open);
    printf("epoll_pwait: %d (%s), alarms %d, blocked again %d\n", waited, waited < 0 ? strerror(errno) : "-", alarms, still_blocked());
    return 0;
}
