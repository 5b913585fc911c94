/* Writes a watched variable 20000 times, each time in a stretch of its own (a syscall
   between), then computes for a while: a scan backwards stops at every write. */
#include <unistd.h>

volatile long watched;

int main(void) {
    for (long i = 0; i < 20000; i++) {
        watched = i;
        getppid();
    }
    volatile long sum = 0;
    for (long i = 0; i < 100000000; i++) sum += i;
    return 0;
}
