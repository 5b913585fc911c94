/* Prints, then dies by SIGSEGV writing through a null pointer. */
#include <stdio.h>
#include <unistd.h>

int main(void) {
    printf("about to crash, pid %d\n", getpid());
    fflush(stdout);
    volatile int *nowhere = 0;
    *nowhere = 1;
    return 0;
}
