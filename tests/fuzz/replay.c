/*
 * replay.c - run a fuzz harness over files, without libFuzzer: how the
 * seeds and the crash regressions (tests/fuzz/seeds, tests/fuzz/regress)
 * are tested in normal builds.
 *
 *   replay-NAME [-v] FILE|DIR...
 *
 * A directory stands for the files in it, in name order. A harness that
 * finds a broken invariant aborts, so the exit status shows it; the file
 * that did it is the last one named on stderr with -v. Prints "replay:
 * N inputs" when all ran.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"
#include "xmalloc.h"

static int	 verbose;
static unsigned	 ninputs;

static int
replay_file(const char *path)
{
	struct buf	 b = BUF_INIT;
	FILE		*f;
	char		 chunk[65536];
	size_t		 n;
	uint8_t		*copy;

	if ((f = fopen(path, "rb")) == NULL) {
		perror(path);
		return -1;
	}
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(&b, chunk, n);
	if (ferror(f)) {
		perror(path);
		fclose(f);
		buf_free(&b);
		return -1;
	}
	fclose(f);
	if (verbose)
		fprintf(stderr, "replay: %s\n", path);
	/* An exact-size copy, so ASan sees a read past the input's end. */
	n = b.len;
	copy = xmalloc(n > 0 ? n : 1);
	if (n > 0)
		memcpy(copy, b.data, n);
	buf_free(&b);
	LLVMFuzzerTestOneInput(copy, n);
	free(copy);
	ninputs++;
	return 0;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
replay_dir(const char *path)
{
	DIR		*d;
	struct dirent	*de;
	struct stat	 st;
	char		**names = NULL, *full;
	size_t		 n = 0, i;
	int		 rc = 0;

	if ((d = opendir(path)) == NULL) {
		perror(path);
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		names = xreallocarray(names, n + 1, sizeof *names);
		names[n++] = xasprintf("%s/%s", path, de->d_name);
	}
	closedir(d);
	if (n > 1)
		qsort(names, n, sizeof *names, name_cmp);
	for (i = 0; i < n; i++) {
		full = names[i];
		if (rc == 0 && stat(full, &st) == 0 && S_ISREG(st.st_mode) &&
		    replay_file(full) < 0)
			rc = -1;
		free(full);
	}
	free(names);
	return rc;
}

int
main(int argc, char **argv)
{
	struct stat	 st;
	int		 i, rc = 0;

	for (i = 1; i < argc && rc == 0; i++) {
		if (strcmp(argv[i], "-v") == 0)
			verbose = 1;
		else if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode))
			rc = replay_dir(argv[i]);
		else
			rc = replay_file(argv[i]);
	}
	if (rc < 0)
		return 2;
	printf("replay: %u inputs\n", ninputs);
	return 0;
}
