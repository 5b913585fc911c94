#ifndef RRDBG_CUNWIND_SHIM_H
#define RRDBG_CUNWIND_SHIM_H

// libunwind's remote (ptrace) unwinder. Its API names are macros (unw_step expands to
// _Ux86_64_step), which Swift cannot call, so each one used is wrapped here, unchanged.
#include <libunwind-ptrace.h>

static inline unw_addr_space_t rrdbg_unw_create_addr_space(unw_accessors_t *accessors) {
    return unw_create_addr_space(accessors, 0);
}

static inline void rrdbg_unw_destroy_addr_space(unw_addr_space_t space) {
    unw_destroy_addr_space(space);
}

static inline int rrdbg_unw_init_remote(unw_cursor_t *cursor, unw_addr_space_t space, void *context) {
    return unw_init_remote(cursor, space, context);
}

static inline int rrdbg_unw_step(unw_cursor_t *cursor) {
    return unw_step(cursor);
}

static inline int rrdbg_unw_get_reg(unw_cursor_t *cursor, unw_regnum_t reg, unw_word_t *value) {
    return unw_get_reg(cursor, reg, value);
}

static inline const char *rrdbg_unw_strerror(int code) {
    return unw_strerror(code);
}

// Exported by libunwind but declared only in its private headers: looks `ip` up in the binary
// search table of an .eh_frame_hdr described by `info` and decodes the FDE it finds, reading
// target memory through the address space's access_mem accessor with `context`.
extern int _Ux86_64_dwarf_search_unwind_table(unw_addr_space_t space, unw_word_t ip, unw_dyn_info_t *info,
                                              unw_proc_info_t *proc, int need_unwind_info, void *context);

static inline int rrdbg_unw_search_unwind_table(unw_addr_space_t space, unw_word_t ip, unw_dyn_info_t *info,
                                                unw_proc_info_t *proc, int need_unwind_info, void *context) {
    return _Ux86_64_dwarf_search_unwind_table(space, ip, info, proc, need_unwind_info, context);
}

#endif
