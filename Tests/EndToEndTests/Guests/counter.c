/* A global counter bumped by a function called from a loop: the gdb acceptance guest. */
#include <stdio.h>
#include <unistd.h>

int counter = 0;

static int bump(int by) {
    counter += by;
    return counter;
}

int main(void) {
    char line[64];
    for (int i = 1; i <= 10; i++) {
        int value = bump(i);
        int length = snprintf(line, sizeof line, "step %d counter %d\n", i, value);
        write(1, line, (size_t)length);
    }
    return 0;
}
