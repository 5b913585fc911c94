/* Reads a file with read(2), then maps it with mmap(2), printing both. */
#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc != 2) return 2;
    int fd = open(argv[1], O_RDONLY);
    if (fd < 0) { perror("open"); return 1; }
    char buffer[4096];
    ssize_t count = read(fd, buffer, sizeof buffer);
    printf("read %zd bytes: %.*s", count, (int)count, buffer);
    struct stat info;
    fstat(fd, &info);
    char *mapped = mmap(NULL, info.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (mapped == MAP_FAILED) { perror("mmap"); return 1; }
    printf("mapped %lld bytes: %.*s", (long long)info.st_size, (int)info.st_size, mapped);
    munmap(mapped, info.st_size);
    close(fd);
    return 0;
}
