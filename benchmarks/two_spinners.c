/* Two threads count in tight loops without a syscall, so the scheduler preempts them (about
   thirty times); a breakpoint on unrelated() never fires. */
#include <pthread.h>
#include <stdio.h>

static volatile unsigned long counters[2];

__attribute__((noinline)) void unrelated(void) { printf("unrelated\n"); }

static void *count(void *argument) {
    long me = (long)argument;
    for (unsigned long i = 0; i < 1500000000UL; i++) counters[me]++;
    return NULL;
}

int main(void) {
    pthread_t threads[2];
    for (long i = 0; i < 2; i++) pthread_create(&threads[i], NULL, count, (void *)i);
    for (int i = 0; i < 2; i++) pthread_join(threads[i], NULL);
    printf("%lu %lu\n", counters[0], counters[1]);
    return 0;
}
