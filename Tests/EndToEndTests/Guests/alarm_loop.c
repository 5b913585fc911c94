/* A SIGALRM handler reads the counter of the pure user-space loop it interrupted. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

static volatile unsigned long counter;
static volatile int alarms;
static unsigned long seen[3];

static void on_alarm(int signal) {
    (void)signal;
    seen[alarms] = counter;
    alarms++;
}

int main(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_alarm;
    sigaction(SIGALRM, &action, NULL);
    struct itimerval timer = {{0, 30000}, {0, 30000}};
    setitimer(ITIMER_REAL, &timer, NULL);
    while (alarms < 3) counter++;
    struct itimerval off = {{0, 0}, {0, 0}};
    setitimer(ITIMER_REAL, &off, NULL);
    printf("the handler saw %lu, %lu and %lu\n", seen[0], seen[1], seen[2]);
    return 0;
}
