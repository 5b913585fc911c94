/* Spins in pure user code for a couple of seconds, then prints: something to interrupt. */
#include <stdint.h>
#include <stdio.h>

volatile uint64_t spins;

int main(void) {
    uint64_t x = 88172645463325252ULL;
    for (spins = 0; spins < 1500000000ULL; spins++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
    }
    printf("%llu\n", (unsigned long long)x);
    return 0;
}
