/// Calls that shape the address space.
///
/// Unlike almost everything else, replay runs these for real: the replaying process must have
/// the same mappings, protections and break as the recorded one, or the guest's own loads and
/// stores would behave differently. `madvise` belongs here too, because `MADV_DONTNEED` on
/// private memory zeroes it, and only running it reproduces that.
enum MemorySyscalls {
    static let descriptors: [SyscallDescriptor] = [
        // Replay maps the same memory at the recorded address, with file contents from the
        // trace's archived copy of the file.
        SyscallDescriptor(
            .mmap, [.pointer, .unsigned, .mmapProtection, .mmapFlags, .fd, .hex], .mapMemory
        ),
        SyscallDescriptor(.munmap, [.pointer, .unsigned], .execute),
        SyscallDescriptor(.mprotect, [.pointer, .unsigned, .mmapProtection], .execute),
        // Protection keys are allocated in a fixed order, so replay gets the recorded ones.
        SyscallDescriptor(.pkey_mprotect, [.pointer, .unsigned, .mmapProtection, .signed], .execute),
        SyscallDescriptor(.pkey_alloc, [.hex, .hex], .execute),
        SyscallDescriptor(.pkey_free, [.signed], .execute),
        SyscallDescriptor(.mremap, [.pointer, .unsigned, .unsigned, .hex, .pointer], .execute),
        SyscallDescriptor(.brk, [.pointer], .execute),
        SyscallDescriptor(.madvise, [.pointer, .unsigned, .madviseAdvice], .execute),
        SyscallDescriptor(.mlock, [.pointer, .unsigned], .execute),
        SyscallDescriptor(.munlock, [.pointer, .unsigned], .execute),
        SyscallDescriptor(.mlock2, [.pointer, .unsigned, .hex], .execute),
        SyscallDescriptor(.msync, [.pointer, .unsigned, .hex], .execute),
        SyscallDescriptor(.mseal, [.pointer, .unsigned, .hex], .execute),
        // mincore reports residency, which depends on the machine's page cache, so replay
        // takes it from the trace: one byte per page of the (page-rounded) length.
        SyscallDescriptor(.mincore, [.pointer, .unsigned, .pointer]) { context in
            let length = context.argument(1)
            let page = UInt64(KernelStructSize.page)
            let pages = length / page + (length % page == 0 ? 0 : 1)
            return context.range(atArgument: 2, length: Int(clamping: pages))
        },
        // With one guest thread running at a time, a memory barrier has no effect to replay.
        SyscallDescriptor(.membarrier, [.signed, .hex, .signed]),
    ]
}
