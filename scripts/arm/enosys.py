#!/usr/bin/env python3
"""Runs a command with a seccomp filter that makes a few newer syscalls fail with ENOSYS.

Why: Debian's proot (5.1.0, also in Trixie) predates statx, faccessat2, clone3 and
openat2, so it passes their path arguments through untranslated and they fail with
ENOENT inside the rootfs (`ls`, `test -x`, dpkg all break). With ENOSYS instead, glibc and
qemu-user fall back to the older syscalls, which proot translates. x86_64 hosts only.
Usage: enosys.py COMMAND [ARGS...]
"""
import ctypes, os, struct, sys

ENOSYS = 38
AUDIT_ARCH_X86_64 = 0xC000003E
# x86_64 numbers: statx, clone3, openat2, faccessat2
BLOCKED = [332, 435, 437, 439]

def stmt(code, k):
    return struct.pack("HBBI", code, 0, 0, k)

def jump(code, k, jt, jf):
    return struct.pack("HBBI", code, jt, jf, k)

BPF_LD_W_ABS, BPF_JEQ_K, BPF_RET_K = 0x20, 0x15, 0x06
RET_ALLOW, RET_ERRNO = 0x7FFF0000, 0x00050000

prog = [stmt(BPF_LD_W_ABS, 4),  # seccomp_data.arch
        jump(BPF_JEQ_K, AUDIT_ARCH_X86_64, 1, 0),
        stmt(BPF_RET_K, RET_ALLOW),
        stmt(BPF_LD_W_ABS, 0)]  # seccomp_data.nr
for i, nr in enumerate(BLOCKED):
    prog.append(jump(BPF_JEQ_K, nr, len(BLOCKED) - i, 0))
prog.append(stmt(BPF_RET_K, RET_ALLOW))
prog.append(stmt(BPF_RET_K, RET_ERRNO | ENOSYS))

code = b"".join(prog)
buf = ctypes.create_string_buffer(code, len(code))
class SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]
fprog = SockFprog(len(prog), ctypes.addressof(buf))

libc = ctypes.CDLL(None, use_errno=True)
PR_SET_NO_NEW_PRIVS, PR_SET_SECCOMP, SECCOMP_MODE_FILTER = 38, 22, 2
if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 or \
   libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0) != 0:
    sys.exit("enosys.py: cannot install the seccomp filter: " + os.strerror(ctypes.get_errno()))
os.execvp(sys.argv[1], sys.argv[1:])
