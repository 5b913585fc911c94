// Zydis, the x86 decoder from Debian's libzydis-dev (which ships no pkg-config file). The
// probes that reach places in hot loops decode and relocate the instructions they displace.
#include <Zydis/Zydis.h>
