#ifndef ATTNBENCH_AFFINITY_H
#define ATTNBENCH_AFFINITY_H
/* Thread-affinity calls that glibc declares only under _GNU_SOURCE. They are compiled in affinity.c,
   so no header seen by Swift needs _GNU_SOURCE: defining it in a module header makes Clang see libc's
   shared headers (sys/select.h) twice, differently, and Swift's Glibc and Dispatch modules then clash. */

/* Writes the calling thread's allowed CPUs into cpus (at most capacity of them) and returns how many
   there are, or -1 with errno set. Wraps sched_getaffinity(0, ...). */
int attnbench_get_thread_affinity(int *cpus, int capacity);

/* Restricts the calling thread to the count CPUs in cpus. Returns 0, or -1 with errno set.
   Wraps sched_setaffinity(0, ...). */
int attnbench_set_thread_affinity(const int *cpus, int count);

/* The CPU the calling thread runs on now, or -1. Wraps sched_getcpu(). */
int attnbench_current_cpu(void);

#endif
