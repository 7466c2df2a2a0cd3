// Nothing to call: linking this module into an executable is what it does (arguments.c replaces
// the Swift runtime's start-up search for argv).
#ifndef C_PROCESS_START_H
#define C_PROCESS_START_H
#endif
