/*
 * Two liburing implementations in one process: upstream 2.15 and ours, each
 * loaded with dlopen(RTLD_LOCAL | RTLD_DEEPBIND) so that neither's symbols
 * leak into the other, and a way to run one call in a forked child so that
 * a crash or a hang is an outcome to record rather than the end of the test.
 *
 * Used by badinput.c and setup_diff.c. Only liburing's types come from the
 * header; every call goes through dlsym of the library under test.
 */
#ifndef RELIAB_DUAL_H
#define RELIAB_DUAL_H

#define _GNU_SOURCE
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

struct lib {
	const char *name;
	const char *path;
	void *handle;
};

static void lib_open(struct lib *l, const char *name, const char *path)
{
	l->name = name;
	l->path = path;
	l->handle = dlopen(path, RTLD_NOW | RTLD_LOCAL | RTLD_DEEPBIND);
	if (!l->handle) {
		fprintf(stderr, "dlopen %s: %s\n", path, dlerror());
		exit(2);
	}
}

static void *lib_sym(const struct lib *l, const char *fn)
{
	void *p = dlsym(l->handle, fn);

	if (!p) {
		fprintf(stderr, "%s (%s) does not export %s\n", l->name, l->path, fn);
		exit(2);
	}
	return p;
}

#include "proc-count.h"

/* How a call in a child ended. */
enum end { END_RETURNED, END_CRASHED, END_HUNG };

struct outcome {
	enum end end;
	int sig;
	int code; /* exit status of a child that exited without an outcome */
	long long val;
	int fd_delta;
	int map_delta;
};

/* A call running in a child. */
struct pending {
	pid_t pid;
	int fd;
};

/*
 * Starts fn(arg) in a child that is killed after `seconds`; fn fills the
 * outcome (value and resource deltas), which the parent reads through a pipe
 * in finish_isolated.
 */
static struct pending start_isolated(void (*fn)(void *arg, struct outcome *o), void *arg, unsigned seconds)
{
	struct pending p;
	int pfd[2];

	if (pipe(pfd)) {
		perror("pipe");
		exit(2);
	}
	fflush(NULL);
	p.pid = fork();
	if (p.pid < 0) {
		perror("fork");
		exit(2);
	}
	if (p.pid == 0) {
		struct outcome c = { 0 };

		close(pfd[0]);
		alarm(seconds);
		fn(arg, &c);
		c.end = END_RETURNED;
		if (write(pfd[1], &c, sizeof(c)) != sizeof(c))
			_exit(3);
		_exit(0);
	}
	close(pfd[1]);
	p.fd = pfd[0];
	return p;
}

static struct outcome finish_isolated(struct pending p)
{
	struct outcome o = { 0 };
	int status;

	if (read(p.fd, &o, sizeof(o)) != sizeof(o))
		memset(&o, 0, sizeof(o));
	close(p.fd);
	while (waitpid(p.pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFSIGNALED(status)) {
		o.sig = WTERMSIG(status);
		o.end = o.sig == SIGALRM ? END_HUNG : END_CRASHED;
	} else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		o.end = END_CRASHED;
		o.sig = 0;
		o.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	}
	return o;
}

static __attribute__((unused)) struct outcome run_isolated(void (*fn)(void *arg, struct outcome *o), void *arg, unsigned seconds)
{
	return finish_isolated(start_isolated(fn, arg, seconds));
}

/* "-EINVAL" for -22, the number otherwise. */
static const char *fmt_ret(long long v, char *buf, size_t len)
{
	if (v < 0 && v >= -4095) {
		const char *n = strerrorname_np((int)-v);

		if (n) {
			snprintf(buf, len, "-%s", n);
			return buf;
		}
	}
	snprintf(buf, len, "%lld", v);
	return buf;
}

#endif
