#ifndef KAITORI_CLINUX_SHIM_H
#define KAITORI_CLINUX_SHIM_H
/* No _GNU_SOURCE here: it would change the system structs other modules import. */
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

/* The kernel's id of the calling thread (for a timer signal sent to this thread only). */
static inline pid_t kaitori_gettid(void) { return (pid_t)syscall(SYS_gettid); }

/* How many CPUs this process may run on (sched_getaffinity(2): taskset or a container's CPU set
   narrows it; the machine's count does not), at least 1. */
static inline int kaitori_usable_cpus(void) {
    unsigned long mask[16] = {0}; /* 1,024 CPUs */
    long size = syscall(SYS_sched_getaffinity, 0, sizeof mask, mask);
    if (size <= 0) return 1;
    int count = 0;
    for (long i = 0; i < size / (long)sizeof mask[0]; i++) count += __builtin_popcountl(mask[i]);
    return count > 0 ? count : 1;
}

/* getrandom(2): up to `length` random bytes from the kernel's generator (the count, or -1 with errno). */
static inline long kaitori_getrandom(void *buffer, unsigned long length) {
    return syscall(SYS_getrandom, buffer, length, 0);
}

/* fallocate(2): give a file's range disk blocks now (0, or -1 with errno). */
static inline int kaitori_fallocate(int fd, int mode, off_t offset, off_t length) {
    return (int)syscall(SYS_fallocate, fd, mode, offset, length);
}
/* accept4(2) with SOCK_CLOEXEC: a new connection, closed on exec (-1 with errno). */
static inline int kaitori_accept_cloexec(int fd) {
    return (int)syscall(SYS_accept4, fd, (void *)0, (void *)0, SOCK_CLOEXEC);
}
#endif
