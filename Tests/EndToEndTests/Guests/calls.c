/* Calls for reverse-next, reverse-step and reverse-finish. */
#include <stdio.h>

int total;

static int square(int value) {
    int result = value * value;
    total += result;
    return result;
}

int main(void) {
    int first = square(3);
    int second = square(4);
    int third = first + second;
    printf("%d %d\n", third, total);
    return 0;
}
