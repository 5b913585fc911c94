/* Three threads increment a shared counter without synchronisation: increments get lost, and
 * how many depends on the interleaving. */
#include <pthread.h>
#include <stdio.h>

static volatile long counter;

static void *worker(void *argument) {
    (void)argument;
    for (long i = 0; i < 250000000; i++) counter = counter + 1;
    return NULL;
}

int main(void) {
    pthread_t threads[3];
    for (int i = 0; i < 3; i++) pthread_create(&threads[i], NULL, worker, NULL);
    for (int i = 0; i < 3; i++) pthread_join(threads[i], NULL);
    printf("counter = %ld\n", counter);
    return 0;
}
