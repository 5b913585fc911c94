/* The kernel fills a watched buffer (read from a pipe); then the program changes it. */
#include <stdio.h>
#include <unistd.h>

static char buffer[16];

int main(void) {
    int fds[2];
    if (pipe(fds) != 0 || write(fds[1], "hello", 5) != 5) return 1;
    if (read(fds[0], buffer, 5) != 5) return 1;
    buffer[0] = 'j';
    printf("%s\n", buffer);
    return 0;
}
