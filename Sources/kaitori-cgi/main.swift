// The CGI handler: one process per form post, run by the web server.
// Everything lives in KaitoriHandler; this file only hands over the process's environment.
import KaitoriHandler

#if canImport(Glibc)
import Glibc
#endif

exit(CGIHandler.runProcess())
