/* Four threads share a counter under a mutex and contend for it: futex waits and wakes, and
 * the scheduler passing the CPU between threads. */
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long shared;

static void *work(void *argument) {
    (void)argument;
    for (int i = 0; i < 20000; i++) {
        pthread_mutex_lock(&lock);
        for (volatile int spin = 0; spin < 200; spin++) {}
        shared++;
        pthread_mutex_unlock(&lock);
    }
    return NULL;
}

int main(void) {
    pthread_t threads[4];
    for (int i = 0; i < 4; i++) pthread_create(&threads[i], NULL, work, NULL);
    for (int i = 0; i < 4; i++) pthread_join(threads[i], NULL);
    printf("%ld\n", shared);
    return 0;
}
