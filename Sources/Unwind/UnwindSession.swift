import CUnwind
import ELF
import Glibc
import Guest
import Syscalls

/// What libunwind's callbacks need while one thread is unwound, and the callbacks themselves.
///
/// Registers and stack words come from libunwind's own ptrace helpers (`_UPT_*`). Unwind tables
/// do not: `_UPT_find_proc_info` opens the files named in `/proc/PID/maps`, which replay does not
/// have, so `findProcedure` finds the `.eh_frame_hdr` of the image in guest memory and lets
/// libunwind search it there.
final class UnwindSession {
    private let images: ElfImageLocator
    private let memory: any GuestMemoryReading
    private let ptraceContext: UnsafeMutableRawPointer
    /// Each image's parsed `.eh_frame_hdr`, by load address; the failure if it has none usable.
    private var tables: [UInt64: Result<EhFrameHeader, ElfError>] = [:]
    /// Why `findProcedure` last found nothing, since libunwind itself only reports a code.
    /// The unwinder clears it before each step, so it explains that step's failure.
    var lastFailure: String?

    init(tid: pid_t, images: ElfImageLocator, memory: any GuestMemoryReading) throws {
        guard let context = _UPT_create(tid) else {
            throw UnwindError.libunwind(operation: "_UPT_create(\(tid))", code: -Int32(UNW_ENOMEM.rawValue), message: "out of memory")
        }
        self.images = images
        self.memory = memory
        ptraceContext = context
    }

    deinit {
        _UPT_destroy(ptraceContext)
    }

    /// The opaque pointer libunwind passes back to every callback.
    var callbackContext: UnsafeMutableRawPointer { Unmanaged.passUnretained(self).toOpaque() }

    /// `find_proc_info`: the procedure containing `ip`, from its image's `.eh_frame_hdr` table.
    private func findProcedure(
        _ space: unw_addr_space_t?, _ ip: unw_word_t, _ procedure: UnsafeMutablePointer<unw_proc_info_t>?,
        _ needUnwindInfo: Int32
    ) -> Int32 {
        let noInfo = -Int32(UNW_ENOINFO.rawValue)
        guard let image = images.image(containing: ip) else {
            lastFailure = "0x\(String(ip, radix: 16)) is in no ELF image"
            return noInfo
        }
        let table: EhFrameHeader
        switch unwindTable(of: image) {
        case .success(let found): table = found
        case .failure(let error):
            lastFailure = "the image at 0x\(String(image.loadAddress, radix: 16)): \(error)"
            return noInfo
        }
        var info = unw_dyn_info_t()
        info.start_ip = image.span.lowerBound
        info.end_ip = image.span.upperBound
        info.format = Int32(UNW_INFO_FORMAT_REMOTE_TABLE.rawValue)
        info.u.rti = unw_dyn_remote_table_info_t(
            name_ptr: 0, segbase: table.address, table_len: table.tableLengthInWords,
            table_data: table.tableAddress)
        let result = rrdbg_unw_search_unwind_table(space, ip, &info, procedure, needUnwindInfo, callbackContext)
        if result < 0 {
            lastFailure = "no unwind information for 0x\(String(ip, radix: 16)) in the image at 0x\(String(image.loadAddress, radix: 16))"
        }
        return result
    }

    private func unwindTable(of image: LoadedElfImage) -> Result<EhFrameHeader, ElfError> {
        if let known = tables[image.loadAddress] { return known }
        let result: Result<EhFrameHeader, ElfError>
        if let section = image.layout.ehFrameHeaderAddress(loadAddress: image.loadAddress) {
            do {
                let bytes = try memory.read(section.address, count: min(Int(section.size), EhFrameHeader.maximumHeaderSize))
                result = .success(try EhFrameHeader(bytes: bytes, address: section.address))
            } catch let error as ElfError {
                result = .failure(error)
            } catch {
                result = .failure(.unsupportedEhFrameHeader("cannot read it at 0x\(String(section.address, radix: 16)): \(error)"))
            }
        } else {
            result = .failure(.unsupportedEhFrameHeader("the image has no PT_GNU_EH_FRAME segment"))
        }
        tables[image.loadAddress] = result
        return result
    }

    private static func session(_ context: UnsafeMutableRawPointer?) -> UnwindSession {
        Unmanaged<UnwindSession>.fromOpaque(context!).takeUnretainedValue()
    }

    /// The callbacks for `unw_create_addr_space`; each expects a session as its context.
    static func accessors() -> unw_accessors_t {
        var accessors = unw_accessors_t()
        accessors.find_proc_info = { space, ip, procedure, needUnwindInfo, context in
            UnwindSession.session(context).findProcedure(space, ip, procedure, needUnwindInfo)
        }
        accessors.put_unwind_info = { space, procedure, context in
            _UPT_put_unwind_info(space, procedure, UnwindSession.session(context).ptraceContext)
        }
        // No code registers unwind information at run time (as JITs do); say so.
        accessors.get_dyn_info_list_addr = { _, _, _ in -Int32(UNW_ENOINFO.rawValue) }
        accessors.access_mem = { space, address, value, write, context in
            _UPT_access_mem(space, address, value, write, UnwindSession.session(context).ptraceContext)
        }
        accessors.access_reg = { space, register, value, write, context in
            _UPT_access_reg(space, register, value, write, UnwindSession.session(context).ptraceContext)
        }
        accessors.access_fpreg = { space, register, value, write, context in
            _UPT_access_fpreg(space, register, value, write, UnwindSession.session(context).ptraceContext)
        }
        // A backtrace never resumes the thread.
        accessors.resume = { _, _, _ in -Int32(UNW_EINVAL.rawValue) }
        return accessors
    }
}
