/* Prints a line with the time every 50 ms for 10 seconds: something to kill mid-recording. */
#include <stdio.h>
#include <time.h>

int main(void) {
    for (int i = 0; i < 200; i++) {
        struct timespec now, pause = {0, 50 * 1000 * 1000};
        clock_gettime(CLOCK_REALTIME, &now);
        printf("tick %d at %lld.%09ld\n", i, (long long)now.tv_sec, now.tv_nsec);
        fflush(stdout);
        nanosleep(&pause, NULL);
    }
    return 0;
}
