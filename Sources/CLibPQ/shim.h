// The header only (Debian libpq-dev): no -lpq, see module.modulemap.
#include <postgresql/libpq-fe.h>
