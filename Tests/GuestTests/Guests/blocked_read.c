/* main -> f1 -> f2 -> f3, which blocks reading fd 42, a pipe that nobody writes to.
 * The unwinder tests expect each "line:" marker's line in the backtrace. */
#include <unistd.h>

void f3(void) {
    int fds[2];
    char byte;
    if (pipe(fds) != 0 || dup2(fds[0], 42) != 42) _exit(2);
    read(42, &byte, 1); /* line:f3 */
}

void f2(void) {
    f3(); /* line:f2 */
}

void f1(void) {
    f2(); /* line:f1 */
}

int main(void) {
    f1(); /* line:main */
    return 0;
}
