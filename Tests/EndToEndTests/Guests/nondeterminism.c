/* Prints values that differ on every native run: clocks, TSC, CPU identity, randomness, ids. */
#define _GNU_SOURCE
#include <cpuid.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/random.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include <x86intrin.h>

static void hex(const char *label, const unsigned char *bytes, size_t count) {
    printf("%s ", label);
    for (size_t i = 0; i < count; i++) printf("%02x", bytes[i]);
    printf("\n");
}

int main(void) {
    struct timespec realtime, monotonic;
    clock_gettime(CLOCK_REALTIME, &realtime);
    clock_gettime(CLOCK_MONOTONIC, &monotonic);
    printf("realtime %lld.%09ld\n", (long long)realtime.tv_sec, realtime.tv_nsec);
    printf("monotonic %lld.%09ld\n", (long long)monotonic.tv_sec, monotonic.tv_nsec);

    struct timeval tv;
    gettimeofday(&tv, NULL);
    printf("gettimeofday %lld.%06ld\n", (long long)tv.tv_sec, (long)tv.tv_usec);
    printf("time %lld\n", (long long)time(NULL));

    printf("rdtsc %llu\n", (unsigned long long)__rdtsc());
    unsigned int aux = 0;
    unsigned long long tscp = __rdtscp(&aux);
    printf("rdtscp %llu aux %u\n", tscp, aux);

    unsigned int eax, ebx, ecx, edx;
    __cpuid(0, eax, ebx, ecx, edx);
    char vendor[13] = {0};
    ((unsigned int *)vendor)[0] = ebx;
    ((unsigned int *)vendor)[1] = edx;
    ((unsigned int *)vendor)[2] = ecx;
    printf("cpuid vendor %s max leaf %u\n", vendor, eax);
    __cpuid(1, eax, ebx, ecx, edx);
    printf("cpuid 1: %08x %08x %08x %08x rdrand %s\n", eax, ebx, ecx, edx, (ecx >> 30) & 1 ? "yes" : "no");

    unsigned char random_bytes[16];
    if (getrandom(random_bytes, sizeof random_bytes, 0) != sizeof random_bytes) return 1;
    hex("getrandom", random_bytes, sizeof random_bytes);

    int urandom = open("/dev/urandom", O_RDONLY);
    unsigned char device_bytes[16];
    if (urandom < 0 || read(urandom, device_bytes, sizeof device_bytes) != sizeof device_bytes) return 1;
    close(urandom);
    hex("urandom", device_bytes, sizeof device_bytes);

    printf("pid %d ppid %d tid %d\n", getpid(), getppid(), gettid());

    long long sum = 0;
    struct timespec now;
    for (int i = 0; i < 100000; i++) {
        clock_gettime(CLOCK_MONOTONIC, &now);
        sum += now.tv_nsec % 1000;
    }
    printf("clock loop sum %lld last %lld.%09ld\n", sum, (long long)now.tv_sec, now.tv_nsec);
    return 0;
}
