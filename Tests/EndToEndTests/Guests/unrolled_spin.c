/* One thread computes for a few time slices without a syscall while another waits for the CPU,
 * so the computing thread is preempted in the middle of its loop. The loop body is long and
 * straight, so the instruction where it was preempted recurs only every few microseconds,
 * which keeps reaching that point by execution (as a debugger does) quick. */
#include <pthread.h>
#include <stdio.h>

#define R4(x) x x x x
#define R16(x) R4(R4(x))
#define R256(x) R16(R16(x))
#define R1024(x) R4(R256(x))

static volatile unsigned long acc = 1;

__attribute__((noinline)) void report(unsigned long value) {
    printf("crunched %lu\n", value);
}

static void *crunch(void *argument) {
    (void)argument;
    for (int i = 0; i < 60000; i++) {
        R1024(acc = acc * 31 + 7;)
    }
    report(acc);
    return NULL;
}

static void *other(void *argument) {
    (void)argument;
    printf("the other thread ran\n");
    return NULL;
}

int main(void) {
    pthread_t first, second;
    pthread_create(&first, NULL, crunch, NULL);
    pthread_create(&second, NULL, other, NULL);
    pthread_join(first, NULL);
    pthread_join(second, NULL);
    return 0;
}
