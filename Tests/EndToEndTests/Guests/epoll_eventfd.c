/* A producer thread signals an eventfd; a consumer waits for it with epoll and sums what it
 * reads. How the counts batch up depends on timing. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

static int events;

static void *producer(void *argument) {
    (void)argument;
    for (uint64_t i = 1; i <= 50; i++) {
        if (write(events, &i, sizeof i) != sizeof i) return NULL;
        if (i % 10 == 0) {
            struct timespec pause = {0, 1000000};
            nanosleep(&pause, NULL);
        }
    }
    return NULL;
}

int main(void) {
    events = eventfd(0, 0);
    int poller = epoll_create1(0);
    struct epoll_event interest = {.events = EPOLLIN, .data.fd = events};
    epoll_ctl(poller, EPOLL_CTL_ADD, events, &interest);
    pthread_t thread;
    pthread_create(&thread, NULL, producer, NULL);
    uint64_t total = 0;
    int wakeups = 0;
    while (total < 50 * 51 / 2) {
        struct epoll_event ready;
        if (epoll_wait(poller, &ready, 1, -1) != 1) continue;
        uint64_t value;
        if (read(events, &value, sizeof value) == sizeof value) total += value;
        wakeups++;
    }
    pthread_join(thread, NULL);
    printf("consumer read %llu in %d wakeups\n", (unsigned long long)total, wakeups);
    return 0;
}
