/* A process with a second thread executes another program: outside what rrdbg records yet,
 * so recording must refuse it clearly. */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static void *idle(void *argument) {
    (void)argument;
    for (;;) pause();
}

int main(void) {
    printf("starting a thread, then exec\n");
    fflush(stdout);
    pthread_t thread;
    pthread_create(&thread, NULL, idle, NULL);
    execl("/bin/true", "true", (char *)NULL);
    return 1;
}
