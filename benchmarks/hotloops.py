# gdb script for benchmarks/hotloops: times gdb commands on the spin-hang recording. Runs
# inside gdb (gdb -x benchmarks/hotloops.py) with $RRDBG_SCENARIO naming what to time.
import os
import statistics
import time

import gdb


def timed(command):
    start = time.monotonic()
    gdb.execute(command, to_string=True)
    return time.monotonic() - start


scenario = os.environ["RRDBG_SCENARIO"]
print("continue %.3f" % timed("continue"))
if scenario == "reverse-stepi":
    steps = [timed("reverse-stepi") for _ in range(20)]
    print("reverse-stepi-first %.3f" % steps[0])
    print("reverse-stepi-median %.4f" % statistics.median(steps[1:]))
elif scenario == "watch":
    gdb.execute("watch x", to_string=True)
    print("watch-reverse-continue %.3f" % timed("reverse-continue"))
elif scenario == "break":
    gdb.execute("break main", to_string=True)
    print("break-reverse-continue %.3f" % timed("reverse-continue"))
elif scenario == "unrelated":
    gdb.execute("break unrelated", to_string=True)
gdb.execute("kill", to_string=True)
