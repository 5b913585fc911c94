# gdb script for benchmarks/run: times reverse-continue across the computation and a run of
# reverse-stepi at its end. Runs inside gdb (gdb -x benchmarks/reverse.py).
import statistics
import time

import gdb


def timed(command):
    start = time.monotonic()
    gdb.execute(command, to_string=True)
    return time.monotonic() - start


gdb.execute("break marker", to_string=True)
gdb.execute("continue", to_string=True)
forward = timed("continue")
backward = timed("reverse-continue")
# At marker(1) now. The first reverse-stepi finds its place by single-stepping from the last
# event, so its cost grows with that distance (here short); the rest start from checkpoints.
steps = [timed("reverse-stepi") for _ in range(21)]
print("forward-continue %.3f" % forward)
print("reverse-continue %.3f" % backward)
print("reverse-stepi-first %.3f" % steps[0])
print("reverse-stepi-median %.4f" % statistics.median(steps[1:]))
gdb.execute("kill", to_string=True)
