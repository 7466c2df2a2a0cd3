// The Swift runtime's way to the command line, replaced for the programs a web server starts once
// per request (kaitori-cgi, kaitori-staff).
//
// On Linux the standard library's `CommandLine` asks the runtime for argv through
// `_swift_stdlib_getUnsafeArgvArgc`. The runtime answers from a global object built before main in
// every process: it opens /proc/self/maps, reads it line by line with sscanf to find the stack,
// and walks back from `environ` to argv. Measured on an application post (bench/handler/callgrind.sh,
// docs/performance.md "The runtime's search for argv"): 64,000 instructions and six system calls
// (the kernel writing out the process's memory map among them), before main, for arguments the
// handler never reads.
//
// glibc hands every .init_array function (argc, argv, envp), so argv can be kept for free. Defining
// the runtime's two argv functions here means a statically linked program resolves the standard
// library's reference to them with these, and the linker never takes the runtime's object (and its
// global constructor) out of libswiftCore.a. Where the standard library is a shared library (debug
// builds, tests), its own hidden definitions stay in use and these are never called: nothing
// changes. A toolchain that renames them would take the runtime's object again, harmlessly;
// scripts/check-handler-build.sh fails if the deployed handler carries that object's constructor.
#include "CProcessStart.h"

#include <stddef.h>

#if defined(__linux__) && defined(__ELF__)

static char **startArgv;
static int startArgc;
static char **overrideArgv;
static int overrideArgc;

static void kaitoriKeepArguments(int argc, char **argv, char **envp) {
    (void)envp;
    startArgc = argc;
    startArgv = argv;
}

// Run by the C library before main, like any constructor, with the process's arguments.
__attribute__((used, section(".init_array")))
static void (*const kaitoriKeepArgumentsEntry)(int, char **, char **) = kaitoriKeepArguments;

// The runtime's own signatures (stdlib/public/stubs/CommandLine.cpp): Swift's calling convention.
__attribute__((swiftcall)) void _swift_stdlib_overrideUnsafeArgvArgc(char **argv, int argc) {
    overrideArgv = argv;
    overrideArgc = argc;
}

__attribute__((swiftcall)) char **_swift_stdlib_getUnsafeArgvArgc(int *outArgLen) {
    static char *noArguments[] = { NULL };
    if (overrideArgv) {
        *outArgLen = overrideArgc;
        return overrideArgv;
    }
    if (!startArgv) {
        *outArgLen = 0;
        return noArguments;
    }
    *outArgLen = startArgc;
    return startArgv;
}

#endif
