// The shop CLI. Everything lives in KaitoriCLI so tests can call it without this executable.
import KaitoriCLI

Kaitori.runMain()
