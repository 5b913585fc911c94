/* main raises SIGUSR1, whose handler blocks reading fd 42, a pipe that nobody writes to: the
 * unwinder must cross the signal frame back into the interrupted code. */
#include <signal.h>
#include <unistd.h>

static void handler(int signal) {
    char byte;
    (void)signal;
    read(42, &byte, 1); /* line:handler */
}

int main(void) {
    int fds[2];
    if (pipe(fds) != 0 || dup2(fds[0], 42) != 42) _exit(2);
    signal(SIGUSR1, handler);
    raise(SIGUSR1); /* line:main */
    return 0;
}
