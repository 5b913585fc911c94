/* Child processes: fork with exit statuses, death by signal, vfork + exec, process groups
 * and sessions, waitpid and waitid. Pids differ from run to run natively. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void) {
    printf("parent %d\n", getpid());
    fflush(stdout);
    pid_t exiting = fork();
    if (exiting == 0) {
        printf("child %d of %d\n", getpid(), getppid());
        exit(7);
    }
    int status = 0;
    waitpid(exiting, &status, 0);
    printf("child %d exited with %d\n", exiting, WEXITSTATUS(status));

    pid_t killed = fork();
    if (killed == 0) {
        setpgid(0, 0);
        raise(SIGTERM);
        _exit(0);
    }
    waitpid(killed, &status, 0);
    printf("child %d killed by signal %d\n", killed, WTERMSIG(status));

    pid_t leader = fork();
    if (leader == 0) {
        pid_t session = setsid();
        printf("child %d leads session %d\n", getpid(), session);
        _exit(0);
    }
    siginfo_t info;
    waitid(P_PID, (id_t)leader, &info, WEXITED);
    printf("waitid: child %d, code %d, status %d\n", info.si_pid, info.si_code, info.si_status);

    fflush(stdout);
    pid_t spawned = vfork();
    if (spawned == 0) {
        execl("/bin/echo", "echo", "exec'd by a vfork child", (char *)NULL);
        _exit(127);
    }
    waitpid(spawned, &status, 0);
    printf("vfork child exited with %d\n", WEXITSTATUS(status));
    return 5;
}
