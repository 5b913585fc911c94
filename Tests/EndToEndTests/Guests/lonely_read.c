/* A single-threaded program that waits for ever in read() on a pipe nobody writes to. */
#include <unistd.h>

static int wait_for_data(int fd) {
    char byte;
    return (int)read(fd, &byte, 1);
}

int main(void) {
    int fds[2];
    if (pipe(fds) != 0) return 1;
    return wait_for_data(fds[0]);
}
