// The customer handler as a persistent FastCGI application (see FastCGIServer). Everything lives
// in KaitoriFastCGI and KaitoriHandler; this file only hands over the arguments.
import KaitoriFastCGI

#if canImport(Glibc)
import Glibc
#endif

exit(FastCGIServer.runProcess(arguments: CommandLine.arguments))
