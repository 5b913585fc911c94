/* Two workers take two mutexes in opposite orders and deadlock. `shared` is written under the
 * first lock, so watching it and running backwards finds which thread wrote it last. */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static pthread_mutex_t first = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t second = PTHREAD_MUTEX_INITIALIZER;
static volatile int shared;

static void *forward(void *argument) {
    (void)argument;
    pthread_mutex_lock(&first);
    shared = 1;
    usleep(100000);
    pthread_mutex_lock(&second);
    pthread_mutex_unlock(&second);
    pthread_mutex_unlock(&first);
    return NULL;
}

static void *backward(void *argument) {
    (void)argument;
    pthread_mutex_lock(&second);
    shared = 2;
    usleep(100000);
    pthread_mutex_lock(&first);
    pthread_mutex_unlock(&first);
    pthread_mutex_unlock(&second);
    return NULL;
}

int main(void) {
    pthread_t one, two;
    pthread_create(&one, NULL, forward, NULL);
    pthread_create(&two, NULL, backward, NULL);
    pthread_join(one, NULL);
    pthread_join(two, NULL);
    printf("no deadlock this time (shared = %d)\n", shared);
    return 0;
}
