#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include "attnbench_affinity.h"

/* Sized for machines with up to 8192 CPUs; CPU_ALLOC keeps it off the stack and independent of CPU_SETSIZE. */
#define ATTNBENCH_MAX_CPUS 8192

int attnbench_get_thread_affinity(int *cpus, int capacity) {
    cpu_set_t *set = CPU_ALLOC(ATTNBENCH_MAX_CPUS);
    if (set == NULL) return -1;
    size_t size = CPU_ALLOC_SIZE(ATTNBENCH_MAX_CPUS);
    CPU_ZERO_S(size, set);
    if (sched_getaffinity(0, size, set) != 0) { CPU_FREE(set); return -1; }
    int count = 0;
    for (int cpu = 0; cpu < ATTNBENCH_MAX_CPUS; cpu++) {
        if (CPU_ISSET_S(cpu, size, set)) {
            if (count < capacity) cpus[count] = cpu;
            count++;
        }
    }
    CPU_FREE(set);
    return count;
}

int attnbench_set_thread_affinity(const int *cpus, int count) {
    cpu_set_t *set = CPU_ALLOC(ATTNBENCH_MAX_CPUS);
    if (set == NULL) return -1;
    size_t size = CPU_ALLOC_SIZE(ATTNBENCH_MAX_CPUS);
    CPU_ZERO_S(size, set);
    for (int i = 0; i < count; i++) {
        if (cpus[i] < 0 || cpus[i] >= ATTNBENCH_MAX_CPUS) { CPU_FREE(set); errno = EINVAL; return -1; }
        CPU_SET_S(cpus[i], size, set);
    }
    int result = sched_setaffinity(0, size, set);
    CPU_FREE(set);
    return result;
}

int attnbench_current_cpu(void) { return sched_getcpu(); }
