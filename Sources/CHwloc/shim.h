#ifndef ATTNBENCH_CHWLOC_SHIM_H
#define ATTNBENCH_CHWLOC_SHIM_H
#include <hwloc.h>
#endif
