/* Raises signals at itself: a handler for SIGUSR1 that reads the clock, then abort(). */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static volatile long handled_at;

static void on_usr1(int signal) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    handled_at = now.tv_nsec;
    (void)signal;
}

int main(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_usr1;
    sigaction(SIGUSR1, &action, NULL);
    raise(SIGUSR1);
    printf("handler ran at %ld\n", handled_at);
    kill(getpid(), SIGUSR1);
    printf("and again at %ld\n", handled_at);
    fflush(stdout);
    abort();
}
