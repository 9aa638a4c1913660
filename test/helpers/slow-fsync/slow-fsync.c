/*
 * Slow disk for fault-injection tests: an LD_PRELOAD shim that sleeps before every fsync and
 * fdatasync of the process (SQLite's durability points), then performs the real call.
 *
 *   SLOW_FSYNC_DELAY_FILE  file holding the delay in milliseconds, re-read on every call, so a
 *                          test can slow a running process down and heal it (missing/empty = 0)
 *   SLOW_FSYNC_DELAY_MS    fixed delay when no delay file is given
 *   SLOW_FSYNC_COUNT_FILE  optional: the number of delayed calls so far is written here
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static unsigned long delayed_calls;

static long delay_ms(void) {
  const char *path = getenv("SLOW_FSYNC_DELAY_FILE");
  if (!path) {
    const char *fixed = getenv("SLOW_FSYNC_DELAY_MS");
    return fixed ? atol(fixed) : 0;
  }
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  char text[32] = {0};
  ssize_t n = read(fd, text, sizeof text - 1);
  close(fd);
  return n > 0 ? atol(text) : 0;
}

static void record_delay(void) {
  const char *path = getenv("SLOW_FSYNC_COUNT_FILE");
  /* Several threads may sync at once; an approximate count is enough to show the fault hit. */
  unsigned long count = __atomic_add_fetch(&delayed_calls, 1, __ATOMIC_RELAXED);
  if (!path) return;
  int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return;
  char text[32];
  int len = snprintf(text, sizeof text, "%lu\n", count);
  if (pwrite(fd, text, (size_t)len, 0) < 0) { /* best effort */ }
  close(fd);
}

static void maybe_sleep(void) {
  long ms = delay_ms();
  if (ms <= 0) return;
  struct timespec pause = { ms / 1000, (ms % 1000) * 1000000L };
  while (nanosleep(&pause, &pause) != 0) {}
  record_delay();
}

int fsync(int fd) {
  static int (*real)(int);
  if (!real) real = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
  maybe_sleep();
  return real(fd);
}

int fdatasync(int fd) {
  static int (*real)(int);
  if (!real) real = (int (*)(int))dlsym(RTLD_NEXT, "fdatasync");
  maybe_sleep();
  return real(fd);
}
