// The least a Swift CGI program can do: answer 303. Built as kaitori-cgi is deployed
// (-static-executable, bench/handler/startup.sh), it measures what the Swift runtime costs each
// process before any of the program's own work.
print("Status: 303 See Other\r\nLocation: /\r\n\r", terminator: "\n")
