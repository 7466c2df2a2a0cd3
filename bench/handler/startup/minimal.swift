// The least a Swift CGI program can do: answer 303. Built as kaitori-cgi is deployed
// (-static-executable, bench/handler/startup.sh), it measures what the Swift runtime costs each
// process before any of the program's own work. Given arguments (never, from a web server), it
// prints them instead: startup.sh checks that both builds still see their command line.
if CommandLine.argc > 1 {
    print(CommandLine.arguments.dropFirst().joined(separator: " "))
} else {
    print("Status: 303 See Other\r\nLocation: /\r\n\r", terminator: "\n")
}
