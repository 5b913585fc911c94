/* A second thread executes another program: outside what rrdbg records yet, so recording must
 * refuse it clearly. */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static void *run(void *argument) {
    (void)argument;
    execl("/bin/true", "true", (char *)NULL);
    return NULL;
}

int main(void) {
    printf("starting a thread that will exec\n");
    fflush(stdout);
    pthread_t thread;
    pthread_create(&thread, NULL, run, NULL);
    pthread_join(thread, NULL);
    return 1;
}
