/* The main thread waits forever for data on a pipe: the writer thread that should fill it waits
 * for a go-ahead that main never gives. The hang report's blocked-read guest: main ->
 * reader_loop -> wait_for_data -> read, while the writer sits in pthread_cond_wait, a futex
 * wait that is no mutex and so no part of a deadlock. */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t go = PTHREAD_COND_INITIALIZER;
static int started;

static void *writer(void *argument) {
    int fd = *(int *)argument;
    pthread_mutex_lock(&lock);
    while (!started) pthread_cond_wait(&go, &lock);
    pthread_mutex_unlock(&lock);
    write(fd, "data", 4);
    return NULL;
}

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
    pthread_t thread;
    if (pipe(ends) != 0) {
        perror("pipe");
        return 1;
    }
    pthread_create(&thread, NULL, writer, &ends[1]);
    printf("reading from fd %d\n", ends[0]);
    fflush(stdout);
    return reader_loop(ends[0]) > 0 ? 0 : 2;
}
