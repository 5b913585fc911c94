/* The main thread executes another program while a second thread still runs: the exec ends
 * the second thread, as it does without rrdbg. */
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
    execl("/bin/echo", "echo", "exec'd with a second thread alive", (char *)NULL);
    return 1;
}
