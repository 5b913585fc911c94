/* Writes 40 MB to stdout, seeded with a time-dependent value so each native run differs. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int main(void) {
    static char block[1 << 20];
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    unsigned int state = (unsigned int)now.tv_nsec;
    for (int written = 0; written < 40; written++) {
        for (size_t i = 0; i < sizeof block; i++) {
            state = state * 1103515245u + 12345u;
            block[i] = 'a' + (state >> 16) % 26;
        }
        size_t done = 0;
        while (done < sizeof block) {
            ssize_t count = write(1, block + done, sizeof block - done);
            if (count <= 0) return 1;
            done += (size_t)count;
        }
    }
    return 0;
}
