/* Reverse execution: about two seconds of computation (with an occasional syscall) between two
   calls of marker(), for reverse-continue across it and reverse-stepi runs at its end. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

volatile uint64_t sink;

void marker(int which) { sink += (uint64_t)which; }

int main(int argc, char **argv) {
    long rounds = argc > 1 ? atol(argv[1]) : 1200000000L;
    uint64_t x = 88172645463325252ULL;
    marker(1);
    for (long i = 0; i < rounds; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        if ((i & 0xfffff) == 0) sink += (uint64_t)getppid();
    }
    sink += x;
    marker(2);
    printf("%llu\n", (unsigned long long)sink);
    return 0;
}
