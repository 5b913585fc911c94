/* A tight loop calls tick() every 2^28 passes while another thread spins as long, so the
   scheduler preempts both many times: a breakpoint on tick() is hit four times, forwards and
   backwards. */
#include <pthread.h>
#include <stdio.h>

volatile unsigned long last_tick;

__attribute__((noinline)) void tick(unsigned long pass) { last_tick = pass; }

static void *spin(void *argument) {
    (void)argument;
    volatile unsigned long count = 0;
    for (unsigned long i = 0; i < 1000000000UL; i++) count++;
    return NULL;
}

int main(void) {
    pthread_t other;
    pthread_create(&other, NULL, spin, NULL);
    for (unsigned long i = 1; i <= 1UL << 30; i++) {
        if ((i & 0xfffffffUL) == 0) tick(i);
    }
    pthread_join(other, NULL);
    printf("last tick %lu\n", last_tick);
    return 0;
}
