/* The compute hang of issue 10, as given there: one thread spins for ever without a syscall,
   changing x on every pass. Recorded with --timeout; `break main` is before the loop. */
int main(){volatile long x=2; while(x!=10) x+=3;}
