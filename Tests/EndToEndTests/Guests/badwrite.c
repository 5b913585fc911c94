/* Corrupts a global at one random-looking iteration of a 1000-iteration loop, then crashes
   because of it: the reverse-execution acceptance guest. */
#include <stdio.h>
#include <sys/random.h>

int *table[4];
int slots[4];
int index_limit = 3;

int main(void) {
    unsigned int chosen = 0;
    getrandom(&chosen, sizeof chosen, 0);
    chosen %= 1000;
    for (int i = 0; i < 4; i++) table[i] = &slots[i];
    int checksum = 0;
    for (int iteration = 0; iteration < 1000; iteration++) {
        checksum += iteration;
        if (iteration == (int)chosen)
            index_limit = 1 << 20;
    }
    printf("checksum %d\n", checksum);
    fflush(stdout);
    int total = 0;
    for (int i = 0; i <= index_limit; i++) total += *table[i];
    return total;
}
