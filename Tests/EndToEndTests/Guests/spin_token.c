/* Two threads hand a token back and forth by spin-waiting on an atomic: no syscalls while
 * they wait, so only preemption lets the other thread run. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>

enum { HANDOFFS = 6 };
static atomic_int token;
static long spins[2];

static void *player(void *argument) {
    int me = (int)(long)argument;
    for (int round = 0; round < HANDOFFS; round++) {
        while (atomic_load(&token) != me) spins[me]++;
        atomic_store(&token, 1 - me);
    }
    return NULL;
}

int main(void) {
    pthread_t threads[2];
    for (long i = 0; i < 2; i++) pthread_create(&threads[i], NULL, player, (void *)i);
    for (int i = 0; i < 2; i++) pthread_join(threads[i], NULL);
    printf("token passed %d times; spins %ld and %ld\n", 2 * HANDOFFS, spins[0], spins[1]);
    return 0;
}
