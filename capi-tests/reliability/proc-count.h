/*
 * Open file descriptors and memory mappings of this process, for checking
 * that a call left none behind. Shared by the reliability programs.
 * Mappings exclude [heap] and [stack], which grow by themselves.
 */
#ifndef RELIABILITY_PROC_COUNT_H
#define RELIABILITY_PROC_COUNT_H

#include <dirent.h>
#include <stdio.h>
#include <string.h>

static __attribute__((unused)) int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	int n = 0;

	if (!d)
		return -1;
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n - 1; /* the directory's own fd */
}

/* Lines of /proc/self/maps that name NEEDLE (every line when NULL),
 * leaving out [heap] and [stack] when SKIP_GROWING. */
static __attribute__((unused)) int count_map_lines(const char *needle, int skip_growing)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];
	int n = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (skip_growing && (strstr(line, "[heap]") || strstr(line, "[stack]")))
			continue;
		if (!needle || strstr(line, needle))
			n++;
	}
	fclose(f);
	return n;
}

static __attribute__((unused)) int count_maps(void)
{
	return count_map_lines(NULL, 1);
}

#endif
