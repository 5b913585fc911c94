/* The compute hang of issue 10: one thread spins for ever without a syscall, changing x on
   every pass. Recorded with --timeout. */
int main(){volatile long x=2; while(x!=10) x+=3;}
