/* Default actions that stop and continue a process: SIGSTOP, SIGCONT, then SIGTERM, observed
 * by the parent through waitpid with WUNTRACED and WCONTINUED. */
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(void) {
    pid_t child = fork();
    if (child == 0) {
        for (;;) {
            struct timespec nap = {0, 1000000};
            nanosleep(&nap, NULL);
        }
    }
    int status = 0;
    kill(child, SIGSTOP);
    waitpid(child, &status, WUNTRACED);
    printf("stopped: %d by signal %d\n", WIFSTOPPED(status), WSTOPSIG(status));
    kill(child, SIGCONT);
    waitpid(child, &status, WCONTINUED);
    printf("continued: %d\n", WIFCONTINUED(status));
    kill(child, SIGTERM);
    waitpid(child, &status, 0);
    printf("terminated: %d by signal %d\n", WIFSIGNALED(status), WTERMSIG(status));
    return 0;
}
