/* CKernelIntrinsics is header-only: its functions are static inline, compiled into the kernels with the
   kernels' target CPU. This file makes it a C target and checks that the headers compile on their own. */
#include "attnbench_lanes.h"
#include "attnbench_prefetch.h"
#include "attnbench_isa.h"
