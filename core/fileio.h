/*
 * fileio.h - plain files of the work tree, read whole, or written whole
 * and fsynced, so that what pmtool says it wrote survives a crash.
 *
 * A call that can fail returns 0, or -1 with an error set that names the
 * path (pm_error_last()).
 */
#ifndef PM_FILEIO_H
#define PM_FILEIO_H

#include <sys/types.h>

#include <stddef.h>

struct buf;

/* 1 when path is a plain file (a link to one is not), else 0. */
int	 fileio_is_file(const char *path);
/* The size of the plain file at path (not a link), or -1 when there is
 * none. */
off_t	 fileio_size(const char *path);
/* Append path's content to out; a link is an error. On failure out may
 * hold part of it. */
int	 fileio_read(struct buf *out, const char *path);
/* Write all of buf to fd; what names the file in the error. On failure
 * part of it may have been written. */
int	 fileio_write_all(int fd, const char *buf, size_t len,
	    const char *what);
/* Create path with content, fsynced; fails if it exists. On failure there
 * is no new file. */
int	 fileio_create(const char *path, const char *content, size_t len);
/* Replace path with content whole: a temporary file beside it (fsynced),
 * renamed over it. The folder is not synced (fileio_fsync_dir()). On
 * failure path is as it was. */
int	 fileio_replace(const char *path, const char *content, size_t len);
/* fsync the folder path, so that names made or renamed in it last. */
int	 fileio_fsync_dir(const char *path);

#endif
