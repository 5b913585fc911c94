/* Syscall-heavy: 200,000 getppid calls. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv) {
    long calls = argc > 1 ? atol(argv[1]) : 200000L;
    long sum = 0;
    for (long i = 0; i < calls; i++) sum += getppid();
    printf("%ld\n", sum / calls);
    return 0;
}
