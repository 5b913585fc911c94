/* Four threads take one mutex in a loop; the order of acquisitions varies from run to run. */
#include <pthread.h>
#include <stdio.h>

enum { THREADS = 4, ROUNDS = 200 };
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static char order[THREADS * ROUNDS + 1];
static int taken;

static void *worker(void *argument) {
    char name = (char)('A' + (long)argument);
    for (int round = 0; round < ROUNDS; round++) {
        pthread_mutex_lock(&lock);
        order[taken++] = name;
        for (volatile int spin = 0; spin < 2000; spin++) {}
        pthread_mutex_unlock(&lock);
    }
    return NULL;
}

int main(void) {
    pthread_t threads[THREADS];
    for (long i = 0; i < THREADS; i++) pthread_create(&threads[i], NULL, worker, (void *)i);
    for (int i = 0; i < THREADS; i++) pthread_join(threads[i], NULL);
    printf("%d acquisitions: %s\n", taken, order);
    return 0;
}
