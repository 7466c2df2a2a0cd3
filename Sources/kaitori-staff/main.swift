// The staff console: one process per request, run by the web server as CGI (at /staff).
// Everything lives in KaitoriStaff; this file only hands over the process.
import KaitoriStaff

#if canImport(Glibc)
import Glibc
#endif

exit(StaffConsole.runProcess())
