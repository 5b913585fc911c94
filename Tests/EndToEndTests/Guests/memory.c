/* Exercises brk, mremap and mprotect and prints what it observes. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

int main(void) {
    char *start = sbrk(0);
    char *grown = sbrk(1 << 16);
    memset(grown, 7, 1 << 16);
    printf("brk grew by %ld, byte %d\n", (long)((char *)sbrk(0) - start), grown[100]);

    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    char *region = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    snprintf(region, page, "stamp %ld", (long)time(NULL));
    char *moved = mremap(region, page, 64 * page, MREMAP_MAYMOVE);
    moved[63 * page] = 'z';
    printf("mremap kept \"%s\" and tail %c\n", moved, moved[63 * page]);

    if (mprotect(moved, page, PROT_READ) != 0) return 1;
    printf("mprotect read-only ok: %c\n", moved[0]);
    if (mprotect(moved, page, PROT_READ | PROT_WRITE) != 0) return 1;
    moved[0] = 'S';
    printf("writable again: %.5s\n", moved);
    munmap(moved, 64 * page);
    return 0;
}
