/* The main thread waits forever for data on a pipe nobody writes to (it keeps the write end
 * open itself): the hang report's blocked-read guest, blocked in main -> reader_loop ->
 * wait_for_data -> read. */
#include <stdio.h>
#include <unistd.h>

__attribute__((noinline)) static ssize_t wait_for_data(int fd, char *buffer, size_t size) {
    return read(fd, buffer, size);
}

__attribute__((noinline)) static long reader_loop(int fd) {
    char buffer[64];
    long total = 0;
    for (;;) {
        ssize_t got = wait_for_data(fd, buffer, sizeof buffer);
        if (got <= 0) return total;
        total += got;
    }
}

int main(void) {
    int ends[2];
    if (pipe(ends) != 0) {
        perror("pipe");
        return 1;
    }
    printf("reading from fd %d\n", ends[0]);
    fflush(stdout);
    return reader_loop(ends[0]) > 0 ? 0 : 2;
}
