/* Waits for a SIGUSR1 from another process, outside the recording, and reports the sender's
 * pid, which differs from run to run. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t sender;

static void on_usr1(int signal, siginfo_t *info, void *context) {
    (void)signal; (void)context;
    sender = info->si_pid;
}

int main(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = on_usr1;
    action.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR1, &action, NULL);
    alarm(20);
    while (sender == 0) pause();
    printf("SIGUSR1 from pid %d\n", (int)sender);
    return 0;
}
