#ifndef SLUICE_CPGQUERY_SHIM_H
#define SLUICE_CPGQUERY_SHIM_H
#include <pg_query.h>
#endif
