/* Two threads take two mutexes in opposite orders and deadlock: each holds one and waits for
 * the other. A barrier makes sure both hold their first mutex before either asks for its second. */
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t first = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t second = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t both_hold_one;

static void lock_both(pthread_mutex_t *held, pthread_mutex_t *wanted) {
    pthread_mutex_lock(held);
    pthread_barrier_wait(&both_hold_one);
    pthread_mutex_lock(wanted);
    pthread_mutex_unlock(wanted);
    pthread_mutex_unlock(held);
}

static void *forward(void *unused) {
    (void)unused;
    lock_both(&first, &second);
    return NULL;
}

static void *backward(void *unused) {
    (void)unused;
    lock_both(&second, &first);
    return NULL;
}

int main(void) {
    pthread_t threads[2];
    pthread_barrier_init(&both_hold_one, NULL, 2);
    pthread_create(&threads[0], NULL, forward, NULL);
    pthread_create(&threads[1], NULL, backward, NULL);
    printf("first=%p second=%p\n", (void *)&first, (void *)&second);
    fflush(stdout);
    pthread_join(threads[0], NULL);
    pthread_join(threads[1], NULL);
    return 0;
}
