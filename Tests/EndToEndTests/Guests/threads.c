/* Starts a thread: outside the single-threaded scope, so recording must refuse it clearly. */
#include <pthread.h>
#include <stdio.h>

static void *work(void *argument) { return argument; }

int main(void) {
    printf("starting a thread\n");
    fflush(stdout);
    pthread_t thread;
    pthread_create(&thread, NULL, work, NULL);
    pthread_join(thread, NULL);
    printf("joined\n");
    return 0;
}
