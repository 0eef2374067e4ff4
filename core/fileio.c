/* fileio.c - plain files read whole, or written whole and fsynced. */
#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "error.h"
#include "fileio.h"
#include "xmalloc.h"

int
fileio_is_file(const char *path)
{
	struct stat	 sb;

	return lstat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

off_t
fileio_size(const char *path)
{
	struct stat	 sb;

	return lstat(path, &sb) == 0 && S_ISREG(sb.st_mode) ? sb.st_size :
	    -1;
}

int
fileio_fsync_dir(const char *path)
{
	int	 fd, rc;

	if ((fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return pm_error_sys("cannot open %s", path);
	rc = fsync(fd);
	close(fd);
	if (rc == -1)
		return pm_error_sys("cannot sync %s", path);
	return 0;
}

/* Write all of buf at fd's position (O_APPEND: at the end). */
int
fileio_write_all(int fd, const char *buf, size_t len, const char *what)
{
	ssize_t	 n;

	while (len > 0) {
		n = write(fd, buf, len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return pm_error_sys("cannot write %s", what);
		if (n == 0) {
			errno = EIO;
			return pm_error_sys("cannot write %s", what);
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Create path with content, fsynced; fails if it exists. */
int
fileio_create(const char *path, const char *content, size_t len)
{
	int	 fd;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd == -1)
		return pm_error_sys("cannot create %s", path);
	if (fileio_write_all(fd, content, len, path) < 0 || fsync(fd) == -1) {
		if (errno != 0)
			pm_error_sys("cannot write %s", path);
		close(fd);
		unlink(path);
		return -1;
	}
	if (close(fd) == -1) {
		unlink(path);
		return pm_error_sys("cannot write %s", path);
	}
	return 0;
}

int
fileio_read(struct buf *out, const char *path)
{
	char	 chunk[65536];
	ssize_t	 n;
	int	 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) == -1)
		return pm_error_sys("cannot read %s", path);
	for (;;) {
		n = read(fd, chunk, sizeof chunk);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			pm_error_sys("cannot read %s", path);
			close(fd);
			return -1;
		}
		if (n == 0)
			break;
		buf_add(out, chunk, (size_t)n);
	}
	close(fd);
	return 0;
}

/* Replace path's content by writing a temporary file and renaming it. */
int
fileio_replace(const char *path, const char *content, size_t len)
{
	char	*tmp;
	int	 rc;

	tmp = xasprintf("%s.pmtool-tmp", path);
	unlink(tmp);
	rc = fileio_create(tmp, content, len);
	if (rc == 0 && rename(tmp, path) == -1) {
		rc = pm_error_sys("cannot replace %s", path);
		unlink(tmp);
	}
	free(tmp);
	return rc;
}
