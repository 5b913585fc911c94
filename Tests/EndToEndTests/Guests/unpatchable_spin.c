/* A thread computes in a loop whose body is 16384 4-byte instructions, in a function that also
   holds an indirect jump, while another thread computes too: preempted there, the replay
   debugger finds no instruction it may overwrite with a probe's jump and reaches those
   preemption points with an int3 marker instead (one trap per pass of the loop's body). */
#include <pthread.h>
#include <stdio.h>

#define R4(x) x x x x
#define R16(x) R4(R4(x))
#define R256(x) R16(R16(x))
#define R4096(x) R16(R256(x))
#define R16384(x) R4(R4096(x))

__attribute__((noinline)) void done(unsigned long total) { printf("total %lu\n", total); }

static void *crunch(void *argument) {
    (void)argument;
    unsigned long total;
    __asm__ volatile(
        "lea 1f(%%rip), %%rcx\n"
        "jmp *%%rcx\n"
        "1: xor %%eax, %%eax\n"
        "mov $80000, %%edx\n"
        "2:\n" R16384("add $1, %%rax\n")
        "dec %%rdx\n"
        "jnz 2b\n"
        "mov %%rax, %0\n"
        : "=r"(total) : : "rax", "rcx", "rdx", "cc");
    done(total);
    return NULL;
}

static void *other(void *argument) {
    (void)argument;
    volatile unsigned long count = 0;
    for (unsigned long i = 0; i < 600000000UL; i++) count++;
    printf("the other thread counted %lu\n", (unsigned long)count);
    return NULL;
}

int main(void) {
    pthread_t first, second;
    pthread_create(&first, NULL, crunch, NULL);
    pthread_create(&second, NULL, other, NULL);
    pthread_join(first, NULL);
    pthread_join(second, NULL);
    return 0;
}
