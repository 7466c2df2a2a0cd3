#include <sqlite3.h>

/* sqlite3_config takes variable arguments, which Swift cannot pass: one wrapper per setting used. */

/* Turns SQLite's memory statistics off, process-wide, before the first connection opens (it
   answers SQLITE_MISUSE once SQLite has started, and changes nothing then). With them on, every
   allocation and free SQLite makes takes a global mutex to count bytes: 11 % of an application
   post's instructions (docs/performance.md). Kaitori reads none of the statistics. */
static inline int kaitori_sqlite3_config_no_memory_statistics(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}
