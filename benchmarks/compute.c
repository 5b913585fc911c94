/* Compute-bound: about a second of arithmetic with no syscalls in the loop. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    long rounds = argc > 1 ? atol(argv[1]) : 400000000L;
    uint64_t x = 88172645463325252ULL, sum = 0;
    for (long i = 0; i < rounds; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        sum += x & 0xff;
    }
    printf("%llu\n", (unsigned long long)sum);
    return 0;
}
