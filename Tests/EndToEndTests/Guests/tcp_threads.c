/* A loopback TCP server and client on two threads; the port and the way the data arrives in
 * pieces differ from run to run. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int listener;
static unsigned short port;

static void *serve(void *argument) {
    (void)argument;
    int connection = accept(listener, NULL, NULL);
    char buffer[256];
    long received = 0;
    int reads = 0;
    ssize_t count;
    while ((count = read(connection, buffer, sizeof buffer)) > 0) {
        received += count;
        reads++;
    }
    char reply[64];
    int length = snprintf(reply, sizeof reply, "server got %ld bytes", received);
    if (write(connection, reply, (size_t)length) != length) return NULL;
    close(connection);
    return (void *)(long)reads;
}

int main(void) {
    listener = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    bind(listener, (struct sockaddr *)&address, sizeof address);
    listen(listener, 1);
    socklen_t length = sizeof address;
    getsockname(listener, (struct sockaddr *)&address, &length);
    port = ntohs(address.sin_port);
    pthread_t server;
    pthread_create(&server, NULL, serve, NULL);
    int client = socket(AF_INET, SOCK_STREAM, 0);
    if (connect(client, (struct sockaddr *)&address, sizeof address) != 0) return 1;
    char chunk[100];
    memset(chunk, 'x', sizeof chunk);
    for (int i = 0; i < 40; i++) {
        if (write(client, chunk, sizeof chunk) != sizeof chunk) return 1;
    }
    shutdown(client, SHUT_WR);
    char reply[64] = {0};
    ssize_t got = read(client, reply, sizeof reply - 1);
    void *reads;
    pthread_join(server, &reads);
    printf("port %u: %s (%zd bytes back, %ld reads)\n", port, reply, got, (long)reads);
    return 0;
}
