/* An interval timer interrupts nanosleeps: the remaining times and the number of
 * interruptions vary natively. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

static volatile int ticks;

static void on_tick(int signal) {
    (void)signal;
    ticks++;
}

int main(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_tick;
    sigaction(SIGALRM, &action, NULL);
    struct itimerval timer = {{0, 7000}, {0, 7000}};
    setitimer(ITIMER_REAL, &timer, NULL);
    int interrupted = 0;
    long remaining = 0;
    for (int i = 0; i < 10; i++) {
        struct timespec request = {0, 20000000}, left = {0, 0};
        if (nanosleep(&request, &left) == -1 && errno == EINTR) {
            interrupted++;
            remaining += left.tv_nsec;
        }
    }
    printf("%d of 10 sleeps interrupted, %d ticks, %ld ns left over\n", interrupted, ticks, remaining);
    return 0;
}
