/* Exits with status 42 after printing a time-dependent line. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int main(void) {
    printf("leaving at %ld\n", (long)time(NULL));
    fflush(stdout);
    exit(42);
}
