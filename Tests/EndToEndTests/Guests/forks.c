/* Starts a child process: outside what rrdbg records yet, so recording must refuse it clearly. */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void) {
    printf("starting a child\n");
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) _exit(3);
    int status = 0;
    waitpid(child, &status, 0);
    printf("child exited with %d\n", WEXITSTATUS(status));
    return 0;
}
