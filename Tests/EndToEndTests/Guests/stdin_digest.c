/* Reads all of stdin and prints its length and a checksum. */
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

int main(void) {
    unsigned char buffer[65536];
    uint64_t total = 0, hash = 1469598103934665603ULL;
    ssize_t count;
    while ((count = read(0, buffer, sizeof buffer)) > 0) {
        for (ssize_t i = 0; i < count; i++) hash = (hash ^ buffer[i]) * 1099511628211ULL;
        total += (uint64_t)count;
    }
    printf("stdin %llu bytes fnv %016llx\n", (unsigned long long)total, (unsigned long long)hash);
    return 0;
}
