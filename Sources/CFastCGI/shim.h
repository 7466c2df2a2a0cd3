#include <fcgiapp.h>
#include <poll.h>
#include <signal.h>
#include <time.h>

/* ppoll(2) is declared by <poll.h> only under _GNU_SOURCE, which the Swift Glibc module is not
   built with. The server waits for connections in it so that SIGTERM is let through there and
   nowhere else. */
extern int ppoll(struct pollfd *fds, nfds_t nfds, const struct timespec *timeout, const sigset_t *sigmask);
