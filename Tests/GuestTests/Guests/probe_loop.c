/* Loops for the probe tests: `wide_here` labels an instruction long enough for a probe's jump
 * on its own (a RIP-relative load of a global), `narrow_here` one that needs its neighbour. */
#include <unistd.h>

volatile long wide = 2;

int main(void) {
    volatile long narrow = 0;
    getppid(); /* the tests stop here */
    for (long i = 0; i < 100000; i++) {
        __asm__ volatile(".globl wide_here\nwide_here:");
        wide += 3;
    }
    for (long i = 0; i < 100000; i++) {
        __asm__ volatile(".globl narrow_here\nnarrow_here:");
        narrow += 1;
    }
    return (int)((wide + narrow) & 0x7f);
}
