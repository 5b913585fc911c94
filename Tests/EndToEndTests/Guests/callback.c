/* qsort calls back into the program: a backtrace from the comparator runs through libc. */
#include <stdio.h>
#include <stdlib.h>

static int compare(const void *left, const void *right) {
    int a = *(const int *)left, b = *(const int *)right;
    return (a > b) - (a < b);
}

int main(void) {
    int values[] = {5, 3, 9, 1, 7};
    qsort(values, 5, sizeof values[0], compare);
    printf("%d %d %d %d %d\n", values[0], values[1], values[2], values[3], values[4]);
    return 0;
}
