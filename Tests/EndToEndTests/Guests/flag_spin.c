/* A hang whose state repeats exactly on every pass: a flag nobody sets. */
volatile int flag;

int main(void) {
    while (!flag) ;
    return 0;
}
