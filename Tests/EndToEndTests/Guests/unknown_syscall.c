/* Makes a syscall that no kernel (and no syscall table) knows, then carries on. */
#include <errno.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void) {
    long result = syscall(999, 1, 2, 3);
    printf("syscall 999 returned %ld errno %d\n", result, errno);
    return 0;
}
