#ifndef ATTNBENCH_CNUMA_SHIM_H
#define ATTNBENCH_CNUMA_SHIM_H
/* No _GNU_SOURCE here: see CAffinity/include/attnbench_affinity.h. */
#include <numa.h>
#include <numaif.h>
#endif
