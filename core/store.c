/*
 * store.c - the git-backed incident store (libgit2): opening and making a
 * store, and the incident API of store.h on top of the modules it is
 * built from: core/storelock.c (the writers' lock, crash recovery),
 * core/gitcommit.c (the commit plumbing) and core/fileio.c (files written
 * whole and fsynced).
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <git2.h>

#include "error.h"
#include "fileio.h"
#include "gitcommit.h"
#include "incfile.h"
#include "store.h"
#include "store_internal.h"
#include "storelock.h"
#include "tlsdefer.h"
#include "xmalloc.h"

static const char store_marker_text[] =
    "# This folder is a pmtool store: incidents live under incidents/.\n"
    "# Settings, in git-config syntax; see pmtool(1).\n"
    "[pmtool]\n"
    "\tformat = 1\n"
    "[status]\n"
    "\t# Warn when the public status page has not been updated for this\n"
    "\t# long during an open incident.\n"
    "\tcadence = 30m\n";

/* Append-only files merge by union: both sides' new lines are kept. */
static const char *store_attributes_lines[] = {
	"incidents/*/timeline.txt merge=union text eol=lf\n",
	"incidents/*/actions.txt merge=union text eol=lf\n",
};

int
store_global_init(void)
{
	tls_defer_certificates();
	if (git_libgit2_init() < 0)
		return pm_error_git("cannot initialise libgit2");
	/* When pmtool says an event is logged, its commit must survive a
	 * crash: libgit2 does not fsync objects and refs unless asked. */
	if (git_libgit2_opts(GIT_OPT_ENABLE_FSYNC_GITDIR, 1) < 0)
		return pm_error_git("cannot enable fsync");
	return 0;
}

void
store_global_shutdown(void)
{
	git_libgit2_shutdown();
}

char *
store_path(const struct store *st, const char *rel)
{
	return xasprintf("%s/%s", st->root, rel);
}

const char *
store_root(const struct store *st)
{
	return st->root;
}

const char *
store_gitdir(const struct store *st)
{
	return git_repository_path(st->repo);
}

const char *
store_warning(const struct store *st)
{
	return st->warning;
}

void
store_set_warning(struct store *st, const char *msg)
{
	free(st->warning);
	st->warning = msg != NULL ? xstrdup(msg) : NULL;
}

static struct store *
store_from_repo(git_repository *repo)
{
	struct store	*st;
	const char	*wd;
	size_t		 len;

	st = xcalloc(1, sizeof *st);
	st->repo = repo;
	st->lock_fd = -1;
	wd = git_repository_workdir(repo);
	len = strlen(wd);
	while (len > 1 && wd[len - 1] == '/')
		len--;
	st->root = xstrndup(wd, len);
	return st;
}

void
store_close(struct store *st)
{
	if (st == NULL)
		return;
	if (st->lock_fd != -1)
		close(st->lock_fd);
	git_repository_free(st->repo);
	free(st->root);
	free(st->warning);
	free(st);
}

int
store_open(struct store **out, const char *dir)
{
	git_repository	*repo = NULL;
	struct store	*st;
	char		 cwd[PATH_MAX], *marker;
	const char	*start = dir;

	if (start == NULL) {
		if (getcwd(cwd, sizeof cwd) == NULL)
			return pm_error_sys("cannot find the current folder");
		start = cwd;
	}
	if (git_repository_open_ext(&repo, start, dir != NULL ?
	    GIT_REPOSITORY_OPEN_NO_SEARCH : 0, NULL) < 0) {
		if (dir != NULL)
			return pm_error_set("%s is not a pmtool store (not a git "
			    "repository); create one with 'pmtool init %s'",
			    dir, dir);
		return pm_error_set("not in a pmtool store (nor in any parent "
		    "folder); create one with 'pmtool init DIR', or name one "
		    "with -C DIR");
	}
	if (git_repository_is_bare(repo)) {
		git_repository_free(repo);
		return pm_error_set("%s is a bare git repository; a store needs "
		    "a work tree (clone it first)", start);
	}
	st = store_from_repo(repo);
	marker = store_path(st, STORE_MARKER);
	if (!fileio_is_file(marker)) {
		pm_error_set("%s is a git repository but not a pmtool store (no "
		    "%s file); make it one with 'pmtool init %s'", st->root,
		    STORE_MARKER, st->root);
		free(marker);
		store_close(st);
		return -1;
	}
	free(marker);
	*out = st;
	return 0;
}

/* --- incidents ---------------------------------------------------------- */

char *
store_timeline_relpath(const char *id)
{
	return xasprintf("%s/%s/%s", STORE_INCIDENTS, id, STORE_TIMELINE);
}

/* incidents/ is a real folder (or missing): a link there would lead
 * reads and writes out of the store. */
static int
incidents_dir_ok(struct store *st)
{
	struct stat	 sb;
	char		*dir = store_path(st, STORE_INCIDENTS);
	int		 ok;

	ok = lstat(dir, &sb) == 0 && S_ISDIR(sb.st_mode);
	free(dir);
	return ok;
}

static int
timeline_exists(struct store *st, const char *id)
{
	struct stat	 sb;
	char		*dir, *file;
	int		 ok;

	if (!incidents_dir_ok(st))
		return 0;

	dir = xasprintf("%s/%s/%s", st->root, STORE_INCIDENTS, id);
	file = xasprintf("%s/%s", dir, STORE_TIMELINE);
	/* Folders and files behind symbolic links are not the store's:
	 * following them could reach anywhere. */
	ok = lstat(dir, &sb) == 0 && S_ISDIR(sb.st_mode) &&
	    lstat(file, &sb) == 0 && S_ISREG(sb.st_mode);
	free(dir);
	free(file);
	return ok;
}

/* The same test as timeline_exists() for an entry of the incidents
 * folder as readdir() gave it, from the folder's descriptor: a listing
 * of thousands of incidents makes one short lookup each, not two long
 * ones. A DT_DIR entry is a folder, never a link to one. */
static int
entry_is_folder(int dir_fd, const struct dirent *de)
{
	struct stat	 sb;

	return de->d_type == DT_DIR || (de->d_type == DT_UNKNOWN &&
	    fstatat(dir_fd, de->d_name, &sb, AT_SYMLINK_NOFOLLOW) == 0 &&
	    S_ISDIR(sb.st_mode));
}

static int
folder_has_timeline(int dir_fd, const char *name)
{
	struct stat	 sb;
	char		 rel[NAME_MAX + sizeof "/" STORE_TIMELINE];

	snprintf(rel, sizeof rel, "%s/%s", name, STORE_TIMELINE);
	return fstatat(dir_fd, rel, &sb, AT_SYMLINK_NOFOLLOW) == 0 &&
	    S_ISREG(sb.st_mode);
}

static int
id_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int	 list_ids(char ***, size_t *, struct store *, int);

int
store_list(char ***out, size_t *n, struct store *st)
{
	return list_ids(out, n, st, 1);
}

int
store_list_folders(char ***out, size_t *n, struct store *st)
{
	return list_ids(out, n, st, 0);
}

/* The incident folders, with a timeline.txt file or not (need_timeline
 * 0: the caller looks at it anyway). */
static int
list_ids(char ***out, size_t *n, struct store *st, int need_timeline)
{
	DIR		*d;
	struct dirent	*de;
	char		*dir, **ids = NULL;
	size_t		 count = 0, cap = 0;

	dir = store_path(st, STORE_INCIDENTS);
	if (!incidents_dir_ok(st)) {
		/* Missing, or not a real folder: no incidents of ours. */
		free(dir);
		*out = NULL;
		*n = 0;
		return 0;
	}
	if ((d = opendir(dir)) == NULL) {
		free(dir);
		if (errno == ENOENT) {
			*out = NULL;
			*n = 0;
			return 0;
		}
		return pm_error_sys("cannot read %s", STORE_INCIDENTS);
	}
	free(dir);
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' || incident_check_id(de->d_name) < 0 ||
		    !entry_is_folder(dirfd(d), de) || (need_timeline &&
		    !folder_has_timeline(dirfd(d), de->d_name)))
			continue;
		if (count == cap) {
			cap = cap == 0 ? 64 : cap * 2;
			ids = xreallocarray(ids, cap, sizeof *ids);
		}
		ids[count++] = xstrdup(de->d_name);
	}
	closedir(d);
	pm_error_clear();
	if (count > 1)
		qsort(ids, count, sizeof *ids, id_cmp);
	*out = ids;
	*n = count;
	return 0;
}

void
store_free_ids(char **ids, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
}

int
store_resolve_id(char **out, struct store *st, const char *given)
{
	char	**ids;
	size_t	 n, i, len, matches = 0, match = 0;
	struct buf b = BUF_INIT;

	if (incident_check_id(given) < 0)
		return -1;
	if (timeline_exists(st, given)) {
		*out = xstrdup(given);
		return 0;
	}
	if (store_list(&ids, &n, st) < 0)
		return -1;
	len = strlen(given);
	for (i = 0; i < n; i++)
		if (strncmp(ids[i], given, len) == 0) {
			if (matches++ < 5)
				buf_printf(&b, "%s%s", matches > 1 ? ", " : "",
				    ids[i]);
			match = i;
		}
	if (matches == 1) {
		*out = xstrdup(ids[match]);
		store_free_ids(ids, n);
		buf_free(&b);
		return 0;
	}
	if (matches == 0)
		pm_error_set("no incident '%s' in this store (see 'pmtool "
		    "list')", given);
	else
		pm_error_set("'%s' could be any of %zu incidents: %s%s", given,
		    matches, buf_str(&b), matches > 5 ? ", ..." : "");
	store_free_ids(ids, n);
	buf_free(&b);
	return -1;
}

/* Read incident id's timeline, with extra (NULL: nothing) after its
 * last line, and parse it. */
static int
load_with(struct incident **out, struct store *st, const char *id,
    const char *extra)
{
	struct incident	*inc;
	struct buf	 b = BUF_INIT;
	char		*rel, *abs;
	int		 rc;

	if (incident_check_id(id) < 0)
		return -1;
	if (!timeline_exists(st, id))
		return pm_error_set("no incident '%s' in this store", id);
	rel = store_timeline_relpath(id);
	abs = store_path(st, rel);
	rc = fileio_read(&b, abs);
	if (rc == 0 && extra != NULL) {
		if (b.len > 0 && b.data[b.len - 1] != '\n')
			buf_addc(&b, '\n');
		buf_adds(&b, extra);
	}
	if (rc == 0)
		rc = incfile_parse(&inc, rel, buf_str(&b), b.len);
	if (rc == 0) {
		incident_set(&inc->id, id);
		*out = inc;
	}
	buf_free(&b);
	free(rel);
	free(abs);
	return rc;
}

int
store_load(struct incident **out, struct store *st, const char *id)
{
	return load_with(out, st, id, NULL);
}

int
store_preview_append(struct incident **out, struct store *st,
    const char *id, const struct event *ev)
{
	char	*lines;
	int	 rc;

	if (incfile_check_text("text", ev->text, 1) < 0)
		return -1;
	lines = incfile_format_event(ev);
	rc = load_with(out, st, id, lines);
	free(lines);
	return rc;
}

/* A file name inside an incident folder: one plain component. */
static int
check_file_name(const char *file)
{
	if (*file == '\0' || *file == '.' || strchr(file, '/') != NULL)
		return pm_error_set("bad incident file name '%s'", file);
	return 0;
}

/* Pick an unused id; the caller holds the lock. */
static char *
unique_id(struct store *st, const struct civil *date, const char *title)
{
	struct stat	 sb;
	char		*base, *id, *dir;
	int		 n;

	base = incident_make_id(date, title);
	id = xstrdup(base);
	for (n = 2; ; n++) {
		dir = xasprintf("%s/%s/%s", st->root, STORE_INCIDENTS, id);
		if (lstat(dir, &sb) == -1 && errno == ENOENT) {
			free(dir);
			break;
		}
		free(dir);
		free(id);
		id = xasprintf("%s-%d", base, n);
	}
	free(base);
	return id;
}

static int
ensure_dir(const char *path, int *made)
{
	struct stat	 sb;

	*made = 0;
	if (lstat(path, &sb) == 0) {
		if (!S_ISDIR(sb.st_mode))
			return pm_error_set("%s is not a folder", path);
		return 0;
	}
	if (mkdir(path, 0755) == -1)
		return pm_error_sys("cannot create %s", path);
	*made = 1;
	return 0;
}

int
store_create(char **out_id, struct store *st, struct incident *inc,
    const struct civil *start_date, const struct store_file *extra,
    size_t nextra)
{
	struct buf		 content = BUF_INIT;
	struct gitcommit_change	*ch;
	char			*id = NULL, *incdir = NULL, *dir = NULL;
	char			*file = NULL, *msg = NULL, *header, *line;
	char			**paths;
	size_t			 i, made_files = 0;
	int			 made_top = 0, made_dir = 0, rc = -1;

	store_set_warning(st, NULL);
	if (incfile_check_header(inc) < 0)
		return -1;
	for (i = 0; i < nextra; i++)
		if (check_file_name(extra[i].name) < 0)
			return -1;
	if (storelock_take(st) < 0)
		return -1;
	ch = xcalloc(nextra + 1, sizeof *ch);
	paths = xcalloc(nextra + 1, sizeof *paths);
	if (storelock_check_index(st) < 0)
		goto out;
	id = unique_id(st, start_date, inc->title);
	header = incfile_format_header(inc);
	buf_adds(&content, header);
	free(header);
	for (i = 0; i < inc->nevents; i++) {
		line = incfile_format_event(&inc->events[i]);
		buf_adds(&content, line);
		free(line);
	}
	incdir = store_path(st, STORE_INCIDENTS);
	dir = xasprintf("%s/%s", incdir, id);
	if (ensure_dir(incdir, &made_top) < 0 || ensure_dir(dir, &made_dir) < 0)
		goto out;
	/* The timeline first, then the other files, each created whole. */
	for (i = 0; i <= nextra; i++) {
		const char	*name = i == 0 ? STORE_TIMELINE :
				    extra[i - 1].name;
		const char	*text = i == 0 ? buf_str(&content) :
				    extra[i - 1].content;

		paths[i] = xasprintf("%s/%s/%s", STORE_INCIDENTS, id, name);
		free(file);
		file = xasprintf("%s/%s", dir, name);
		if (fileio_create(file, text, strlen(text)) < 0)
			goto out;
		made_files++;
		if (gitcommit_worktree_blob(&ch[i].blob, st->repo, paths[i],
		    text, strlen(text)) < 0)
			goto out;
		ch[i].path = paths[i];
	}
	if (fileio_fsync_dir(dir) < 0 || fileio_fsync_dir(incdir) < 0)
		goto out;
	msg = xasprintf("%s: new incident\n\n%s\n", id, inc->title);
	if (gitcommit_changes(st, ch, nextra + 1, msg) < 0)
		goto out;
	*out_id = id;
	id = NULL;
	rc = 0;
out:
	if (rc < 0) {
		/* Take back what this call made, and only that. */
		for (i = 0; i < made_files; i++) {
			free(file);
			file = xasprintf("%s/%s", st->root, paths[i]);
			unlink(file);
		}
		if (made_dir)
			rmdir(dir);
		if (made_top)
			rmdir(incdir);
	}
	storelock_release(st);
	for (i = 0; i <= nextra; i++)
		free(paths[i]);
	free(paths);
	free(ch);
	buf_free(&content);
	free(id);
	free(incdir);
	free(dir);
	free(file);
	free(msg);
	return rc;
}

/* Undo an append that could not be committed: cut the file back to its
 * old length, and only if nothing else has been added since. */
static void
append_undo(int fd, off_t old_size, off_t new_size)
{
	struct stat	 sb;

	if (fstat(fd, &sb) == 0 && sb.st_size == new_size &&
	    ftruncate(fd, old_size) == 0)
		fsync(fd);
}

static int
fsync_incident_dir(struct store *st, const char *id)
{
	char	*dir;
	int	 rc;

	dir = xasprintf("%s/%s/%s", st->root, STORE_INCIDENTS, id);
	rc = fileio_fsync_dir(dir);
	free(dir);
	return rc;
}

/* Before changing an incident: queue behind other pmtool writers, refuse
 * a locked git index, and make sure the incident is there. */
static int
begin_incident_write(struct store *st, const char *id)
{
	if (storelock_take(st) < 0 || storelock_check_index(st) < 0)
		return -1;
	if (!timeline_exists(st, id))
		return pm_error_set("no incident '%s' in this store", id);
	return 0;
}

int
store_read_file(struct buf *out, int *exists, struct store *st,
    const char *id, const char *file)
{
	struct stat	 sb;
	char		*abs;
	int		 rc = 0;

	*exists = 0;
	if (incident_check_id(id) < 0 || check_file_name(file) < 0)
		return -1;
	if (!timeline_exists(st, id))
		return pm_error_set("no incident '%s' in this store", id);
	abs = xasprintf("%s/%s/%s/%s", st->root, STORE_INCIDENTS, id, file);
	if (lstat(abs, &sb) == 0) {
		if (!S_ISREG(sb.st_mode))
			rc = pm_error_set("%s/%s/%s is not a plain file",
			    STORE_INCIDENTS, id, file);
		else if ((rc = fileio_read(out, abs)) == 0)
			*exists = 1;
	} else if (errno != ENOENT)
		rc = pm_error_sys("cannot read %s/%s/%s", STORE_INCIDENTS, id,
		    file);
	free(abs);
	return rc;
}

int
store_append_file(struct store *st, const char *id, const char *file,
    const char *header, const char *lines, const char *message,
    store_check_fn check)
{
	struct buf		 content = BUF_INIT;
	struct gitcommit_head	 h;
	struct gitcommit_change	 ch = { NULL, { { 0 } }, 0, 0 };
	struct stat		 sb;
	git_oid			 commit;
	char			*rel, *abs, *add_buf = NULL;
	const char		*add;
	size_t			 addlen;
	int			 fd = -1, rc = -1, have_head = 0, appended = 0;
	int			 created = 0;
	off_t			 old_size = 0;

	store_set_warning(st, NULL);
	if (incident_check_id(id) < 0 || check_file_name(file) < 0)
		return -1;
	rel = xasprintf("%s/%s/%s", STORE_INCIDENTS, id, file);
	abs = store_path(st, rel);
	if (begin_incident_write(st, id) < 0)
		goto out;
	if (lstat(abs, &sb) == -1 && errno == ENOENT && header != NULL) {
		/* The first record: the file starts with its header. */
		add_buf = xasprintf("%s%s", header, lines);
		created = 1;
	} else {
		/* The file must read cleanly before anything is added. */
		if (fileio_read(&content, abs) < 0 ||
		    (check != NULL && check(rel, content.data != NULL ?
		    content.data : "", content.len) < 0))
			goto out;
		/* A hand edit may have left the last line without its
		 * newline. */
		if (content.len > 0 && content.data[content.len - 1] != '\n')
			add_buf = xasprintf("\n%s", lines);
	}
	old_size = (off_t)content.len;
	add = add_buf != NULL ? add_buf : lines;
	addlen = strlen(add);
	buf_add(&content, add, addlen);
	if (gitcommit_worktree_blob(&ch.blob, st->repo, rel, content.data,
	    content.len) < 0)
		goto out;
	ch.path = rel;
	if (gitcommit_head_read(&h, st->repo) < 0)
		goto out;
	have_head = 1;
	if (gitcommit_build(&commit, st, &h, &ch, 1, message) < 0)
		goto out;
	/* Objects first, then the line, then the branch: a crash at any
	 * point leaves either the old state or the line with its commit
	 * still to make, never a commit without its line. */
	fd = open(abs, O_WRONLY | O_APPEND | O_CLOEXEC | O_NOFOLLOW |
	    (created ? O_CREAT | O_EXCL : 0), 0644);
	if (fd == -1) {
		pm_error_sys("cannot open %s", rel);
		goto out;
	}
	if (fstat(fd, &sb) == -1 || sb.st_size != old_size) {
		pm_error_set("%s changed while pmtool was writing; nothing was "
		    "added, try again", rel);
		goto out;
	}
	/* One write; a short one (a size limit reached part-way) goes on,
	 * so that the error is the one that stopped it. */
	if (fileio_write_all(fd, add, addlen, rel) < 0) {
		append_undo(fd, old_size, (off_t)lseek(fd, 0, SEEK_END));
		goto out;
	}
	appended = 1;
	if (fsync(fd) == -1) {
		pm_error_sys("cannot sync %s", rel);
		goto out;
	}
	if (created && fsync_incident_dir(st, id) < 0)
		goto out;
	if (gitcommit_publish(st, &h, &commit, message) < 0)
		goto out;
	appended = 0;
	gitcommit_update_index(st, &ch, 1);
	rc = 0;
out:
	if (appended)
		append_undo(fd, old_size, old_size + (off_t)addlen);
	if (fd != -1)
		close(fd);
	if (rc < 0 && created && fd != -1)
		unlink(abs);	/* this call made it */
	if (have_head)
		gitcommit_head_free(&h);
	storelock_release(st);
	buf_free(&content);
	free(add_buf);
	free(rel);
	free(abs);
	return rc;
}

int
store_check_timeline(const char *name, const char *buf, size_t len)
{
	struct incident	*inc;

	if (incfile_parse(&inc, name, buf, len) < 0)
		return -1;
	incident_free(inc);
	return 0;
}

int
store_append(struct store *st, const char *id, const struct event *ev)
{
	char	*lines, *msg, label[128];
	int	 rc;

	if (incfile_check_text("text", ev->text, 1) < 0)
		return -1;
	lines = incfile_format_event(ev);
	if (EVENT_KIND_IS_CORRECTION(ev->kind))
		msg = xasprintf("%s: %s %.*s\n\n%s", id,
		    event_kind_name(ev->kind), EVENT_REF_SHOW,
		    ev->arg != NULL ? ev->arg : "", lines);
	else {
		event_label(label, sizeof label, ev, " ");
		msg = xasprintf("%s: log %s\n\n%s", id, label, lines);
	}
	rc = store_append_file(st, id, STORE_TIMELINE, NULL, lines, msg,
	    store_check_timeline);
	free(lines);
	free(msg);
	return rc;
}

int
store_write_file(struct store *st, const char *id, const char *file,
    const char *content, size_t len, const char *message)
{
	struct gitcommit_change	 ch = { NULL, { { 0 } }, 0, 0 };
	struct buf		 old = BUF_INIT;
	char			*rel, *abs, *dir;
	int			 rc = -1, existed = 0, replaced = 0;

	store_set_warning(st, NULL);
	if (incident_check_id(id) < 0 || check_file_name(file) < 0)
		return -1;
	rel = xasprintf("%s/%s/%s", STORE_INCIDENTS, id, file);
	abs = store_path(st, rel);
	dir = xasprintf("%s/%s/%s", st->root, STORE_INCIDENTS, id);
	if (begin_incident_write(st, id) < 0)
		goto out;
	if (fileio_is_file(abs)) {
		existed = 1;
		if (fileio_read(&old, abs) < 0)
			goto out;
	}
	if (gitcommit_worktree_blob(&ch.blob, st->repo, rel, content, len) < 0)
		goto out;
	ch.path = rel;
	/* The new file replaces the old one whole (write, fsync, rename),
	 * so a crash leaves one or the other, never a mix. */
	if (fileio_replace(abs, content, len) < 0 || fileio_fsync_dir(dir) < 0)
		goto out;
	replaced = 1;
	if (gitcommit_changes(st, &ch, 1, message) < 0)
		goto out;
	replaced = 0;
	rc = 0;
out:
	if (replaced) {
		if (existed)
			fileio_replace(abs, buf_str(&old), old.len);
		else
			unlink(abs);
	}
	storelock_release(st);
	buf_free(&old);
	free(rel);
	free(abs);
	free(dir);
	return rc;
}

/* --- init ----------------------------------------------------------------- */

/* text with pmtool's attribute lines added, or NULL when it has them. */
static char *
attributes_with_ours(const char *text, size_t len)
{
	struct buf	 b = BUF_INIT;
	size_t		 i;
	int		 added = 0;

	buf_add(&b, text, len);
	for (i = 0; i < sizeof store_attributes_lines /
	    sizeof store_attributes_lines[0]; i++) {
		if (strstr(buf_str(&b), store_attributes_lines[i]) != NULL)
			continue;
		if (b.len > 0 && b.data[b.len - 1] != '\n')
			buf_addc(&b, '\n');
		buf_adds(&b, store_attributes_lines[i]);
		added = 1;
	}
	if (!added) {
		buf_free(&b);
		return NULL;
	}
	return buf_detach(&b);
}

/*
 * pmtool's line goes into .gitattributes twice: into the committed file
 * (HEAD's version plus the line) and into the work-tree file (as the user
 * has it, plus the line). Edits the user had not committed stay theirs,
 * uncommitted; a staged version stays staged.
 */
struct attrs_plan {
	struct buf	 worktree_old;
	int		 had_file;
	char		*worktree_new;	/* NULL: unchanged */
	char		*committed;	/* NULL: nothing to commit */
	int		 differs;
	int		 staged;
};

static int
attrs_plan_make(struct attrs_plan *p, struct store *st,
    const struct gitcommit_head *h, const char *path)
{
	struct buf	 head = BUF_INIT;
	git_oid		 head_id;
	int		 in_head;

	memset(p, 0, sizeof *p);
	p->had_file = fileio_is_file(path);
	if (p->had_file && fileio_read(&p->worktree_old, path) < 0)
		return -1;
	if (gitcommit_head_file(&head, st->repo, h, ".gitattributes", &head_id,
	    &in_head) < 0) {
		buf_free(&head);
		return -1;
	}
	p->worktree_new = attributes_with_ours(buf_str(&p->worktree_old),
	    p->worktree_old.len);
	p->committed = attributes_with_ours(buf_str(&head), head.len);
	if (p->committed != NULL) {
		p->differs = strcmp(p->committed, p->worktree_new != NULL ?
		    p->worktree_new : buf_str(&p->worktree_old)) != 0;
		p->staged = gitcommit_index_staged(st->repo, ".gitattributes",
		    &head_id, in_head);
	}
	buf_free(&head);
	return 0;
}

static void
attrs_plan_free(struct attrs_plan *p)
{
	buf_free(&p->worktree_old);
	free(p->worktree_new);
	free(p->committed);
}

int
store_init(struct store **out, const char *dir, int *created)
{
	git_repository		*repo = NULL;
	struct store		*st;
	struct gitcommit_change	 ch[2];
	struct gitcommit_head	 h;
	struct attrs_plan	 plan;
	char			*marker, *attrs_path;
	size_t			 n = 0;
	int			 rc = -1, wrote_marker = 0, wrote_attrs = 0;
	int			 have_head = 0, have_plan = 0;

	*created = 0;
	memset(ch, 0, sizeof ch);
	if (mkdir(dir, 0755) == -1 && errno != EEXIST)
		return pm_error_sys("cannot create %s", dir);
	if (git_repository_open_ext(&repo, dir, GIT_REPOSITORY_OPEN_NO_SEARCH,
	    NULL) < 0 && git_repository_init(&repo, dir, 0) < 0)
		return pm_error_git("cannot create a git repository in %s",
		    dir);
	if (git_repository_is_bare(repo)) {
		git_repository_free(repo);
		return pm_error_set("%s is a bare git repository; a store needs "
		    "a work tree", dir);
	}
	st = store_from_repo(repo);
	marker = store_path(st, STORE_MARKER);
	attrs_path = store_path(st, ".gitattributes");
	if (storelock_take(st) < 0)
		goto out;
	if (fileio_is_file(marker)) {
		rc = 0;		/* already a store */
		goto out;
	}
	if (storelock_check_index(st) < 0 ||
	    gitcommit_head_read(&h, st->repo) < 0)
		goto out;
	have_head = 1;
	if (attrs_plan_make(&plan, st, &h, attrs_path) < 0)
		goto out;
	have_plan = 1;
	if (fileio_create(marker, store_marker_text,
	    sizeof store_marker_text - 1) < 0)
		goto out;
	wrote_marker = 1;
	if (plan.worktree_new != NULL) {
		if (fileio_replace(attrs_path, plan.worktree_new,
		    strlen(plan.worktree_new)) < 0)
			goto out;
		wrote_attrs = 1;
	}
	if (git_blob_create_from_buffer(&ch[n].blob, repo, store_marker_text,
	    sizeof store_marker_text - 1) < 0)
		goto git_fail;
	ch[n++].path = STORE_MARKER;
	if (plan.committed != NULL) {
		if (git_blob_create_from_buffer(&ch[n].blob, repo,
		    plan.committed, strlen(plan.committed)) < 0)
			goto git_fail;
		ch[n].worktree_differs = plan.differs;
		ch[n].keep_index = plan.staged;
		ch[n++].path = ".gitattributes";
	}
	gitcommit_head_free(&h);
	have_head = 0;
	if (gitcommit_changes(st, ch, n, "pmtool: create store\n") < 0)
		goto out;
	*created = 1;
	rc = 0;
	goto out;
git_fail:
	pm_error_git("cannot store the store's files");
out:
	/* A failed init leaves the folder as it found it. */
	if (rc < 0 && wrote_marker)
		unlink(marker);
	if (rc < 0 && wrote_attrs) {
		if (plan.had_file)
			fileio_replace(attrs_path, buf_str(&plan.worktree_old),
			    plan.worktree_old.len);
		else
			unlink(attrs_path);
	}
	if (have_plan)
		attrs_plan_free(&plan);
	if (have_head)
		gitcommit_head_free(&h);
	storelock_release(st);
	free(marker);
	free(attrs_path);
	if (rc < 0) {
		store_close(st);
		return -1;
	}
	*out = st;
	return 0;
}

/* --- batches: several incidents, one commit ------------------------------ */

/* One file a batch writes: created whole, or appended to. */
struct batch_op {
	char		*id;
	char		*rel;		/* incidents/<id>/<file> */
	char		*abs;
	int		 create;	/* a new file; else an append */
	struct buf	 add;		/* what is written: the whole new file,
					   or the bytes appended */
	struct buf	 content;	/* appends: the whole file afterwards */
	off_t		 old_size;	/* appends: the length when planned */
	int		 written;	/* on disk, to be undone on failure */
};

struct store_batch {
	struct store	*st;
	struct batch_op	*ops;
	size_t		 nops;
	char		**dirs;		/* incident folders this batch made */
	size_t		 ndirs;
	char		*incdir;	/* <root>/incidents */
	int		 made_top;	/* ... and whether this batch made it */
	int		 locked;
	int		 committed;
};

int
store_batch_begin(struct store_batch **out, struct store *st)
{
	struct store_batch	*b;

	store_set_warning(st, NULL);
	b = xcalloc(1, sizeof *b);
	b->st = st;
	b->incdir = store_path(st, STORE_INCIDENTS);
	if (storelock_take(st) < 0) {
		free(b->incdir);
		free(b);
		return -1;
	}
	b->locked = 1;
	if (storelock_check_index(st) < 0) {
		store_batch_free(b);
		return -1;
	}
	*out = b;
	return 0;
}

static struct batch_op *
batch_find(struct store_batch *b, const char *rel)
{
	size_t	 i;

	for (i = 0; i < b->nops; i++)
		if (strcmp(b->ops[i].rel, rel) == 0)
			return &b->ops[i];
	return NULL;
}

static struct batch_op *
batch_add_op(struct store_batch *b, const char *id, const char *file,
    int create)
{
	struct batch_op	*op;

	b->ops = xreallocarray(b->ops, b->nops + 1, sizeof *b->ops);
	op = &b->ops[b->nops++];
	memset(op, 0, sizeof *op);
	op->id = xstrdup(id);
	op->rel = xasprintf("%s/%s/%s", STORE_INCIDENTS, id, file);
	op->abs = store_path(b->st, op->rel);
	op->create = create;
	return op;
}

/* 1 when id is an incident folder this batch made. */
static int
batch_made(const struct store_batch *b, const char *id)
{
	size_t	 i;
	char	*dir = xasprintf("%s/%s", b->incdir, id);
	int	 found = 0;

	for (i = 0; i < b->ndirs && !found; i++)
		found = strcmp(b->dirs[i], dir) == 0;
	free(dir);
	return found;
}

int
store_batch_create(struct store_batch *b, char **out_id,
    struct incident *inc, const struct civil *start_date,
    const struct store_file *extra, size_t nextra)
{
	struct batch_op	*op;
	char		*id, *dir, *header, *line;
	size_t		 i;
	int		 made;

	if (incfile_check_header(inc) < 0)
		return -1;
	for (i = 0; i < nextra; i++)
		if (check_file_name(extra[i].name) < 0 ||
		    strcmp(extra[i].name, STORE_TIMELINE) == 0)
			return pm_error_set("bad incident file name '%s'",
			    extra[i].name);
	if (ensure_dir(b->incdir, &made) < 0)
		return -1;
	b->made_top |= made;
	/* Making the folder now reserves the id against the batch's other
	 * new incidents; it goes again if the batch does not commit. */
	id = unique_id(b->st, start_date, inc->title);
	dir = xasprintf("%s/%s", b->incdir, id);
	if (mkdir(dir, 0755) == -1) {
		pm_error_sys("cannot create %s", dir);
		free(dir);
		free(id);
		return -1;
	}
	b->dirs = xreallocarray(b->dirs, b->ndirs + 1, sizeof *b->dirs);
	b->dirs[b->ndirs++] = dir;
	op = batch_add_op(b, id, STORE_TIMELINE, 1);
	header = incfile_format_header(inc);
	buf_adds(&op->add, header);
	free(header);
	for (i = 0; i < inc->nevents; i++) {
		line = incfile_format_event(&inc->events[i]);
		buf_adds(&op->add, line);
		free(line);
	}
	for (i = 0; i < nextra; i++) {
		op = batch_add_op(b, id, extra[i].name, 1);
		buf_adds(&op->add, extra[i].content);
	}
	*out_id = id;
	return 0;
}

int
store_batch_append(struct store_batch *b, const char *id, const char *file,
    const char *header, const char *lines, store_check_fn check)
{
	struct batch_op	*op;
	struct stat	 sb;
	char		*rel;

	if (incident_check_id(id) < 0 || check_file_name(file) < 0)
		return -1;
	rel = xasprintf("%s/%s/%s", STORE_INCIDENTS, id, file);
	op = batch_find(b, rel);
	free(rel);
	if (op != NULL) {
		/* Planned already: the lines join what is to be written. */
		buf_adds(&op->add, lines);
		if (!op->create)
			buf_adds(&op->content, lines);
		return 0;
	}
	if (!batch_made(b, id) && !timeline_exists(b->st, id))
		return pm_error_set("no incident '%s' in this store", id);
	op = batch_add_op(b, id, file, 0);
	if (lstat(op->abs, &sb) == -1 && errno == ENOENT) {
		if (header == NULL) {
			pm_error_set("%s: no such file", op->rel);
			b->nops--;
			goto drop;
		}
		op->create = 1;
		buf_adds(&op->add, header);
		buf_adds(&op->add, lines);
		return 0;
	}
	if (fileio_read(&op->content, op->abs) < 0 || (check != NULL &&
	    check(op->rel, buf_str(&op->content), op->content.len) < 0)) {
		b->nops--;
		goto drop;
	}
	op->old_size = (off_t)op->content.len;
	/* A hand edit may have left the last line without its newline. */
	if (op->content.len > 0 && op->content.data[op->content.len - 1] !=
	    '\n')
		buf_addc(&op->add, '\n');
	buf_adds(&op->add, lines);
	buf_add(&op->content, op->add.data, op->add.len);
	return 0;
drop:
	free(op->id);
	free(op->rel);
	free(op->abs);
	buf_free(&op->add);
	buf_free(&op->content);
	return -1;
}

/* Put one op's file on disk. */
static int
batch_write(struct batch_op *op)
{
	struct stat	 sb;
	int		 fd, rc = 0;

	if (op->create) {
		if (fileio_create(op->abs, buf_str(&op->add), op->add.len) < 0)
			return -1;
		op->written = 1;
		return 0;
	}
	fd = open(op->abs, O_WRONLY | O_APPEND | O_CLOEXEC | O_NOFOLLOW);
	if (fd == -1)
		return pm_error_sys("cannot open %s", op->rel);
	if (fstat(fd, &sb) == -1 || sb.st_size != op->old_size)
		rc = pm_error_set("%s changed while pmtool was writing; "
		    "nothing was added, try again", op->rel);
	else if (fileio_write_all(fd, op->add.data, op->add.len, op->rel) < 0) {
		append_undo(fd, op->old_size, (off_t)lseek(fd, 0, SEEK_END));
		rc = -1;
	} else if (fsync(fd) == -1) {
		op->written = 1;
		rc = pm_error_sys("cannot sync %s", op->rel);
	} else
		op->written = 1;
	close(fd);
	return rc;
}

/* Take back every file this batch wrote. */
static void
batch_undo(struct store_batch *b)
{
	struct batch_op	*op;
	size_t		 i;
	int		 fd;

	for (i = 0; i < b->nops; i++) {
		op = &b->ops[i];
		if (!op->written)
			continue;
		if (op->create)
			unlink(op->abs);
		else if ((fd = open(op->abs, O_WRONLY | O_CLOEXEC |
		    O_NOFOLLOW)) != -1) {
			append_undo(fd, op->old_size, op->old_size +
			    (off_t)op->add.len);
			close(fd);
		}
		op->written = 0;
	}
}

int
store_batch_commit(struct store_batch *b, const char *message)
{
	struct gitcommit_change	*ch;
	struct gitcommit_head	 h;
	git_oid			 commit;
	struct buf		*data;
	size_t			 i;
	int			 rc = -1, have_head = 0;

	if (b->nops == 0) {
		b->committed = 1;	/* nothing to do is done */
		return 0;
	}
	ch = xcalloc(b->nops, sizeof *ch);
	for (i = 0; i < b->nops; i++) {
		data = b->ops[i].create ? &b->ops[i].add : &b->ops[i].content;
		ch[i].path = b->ops[i].rel;
		if (gitcommit_worktree_blob(&ch[i].blob, b->st->repo,
		    ch[i].path, buf_str(data), data->len) < 0)
			goto out;
	}
	if (gitcommit_head_read(&h, b->st->repo) < 0)
		goto out;
	have_head = 1;
	/* As for one event: objects, then the files, then the branch. */
	if (gitcommit_build(&commit, b->st, &h, ch, b->nops, message) < 0)
		goto out;
	for (i = 0; i < b->nops; i++)
		if (batch_write(&b->ops[i]) < 0)
			goto out;
	for (i = 0; i < b->ndirs; i++)
		if (fileio_fsync_dir(b->dirs[i]) < 0)
			goto out;
	if (fileio_fsync_dir(b->incdir) < 0)
		goto out;
	if (gitcommit_publish(b->st, &h, &commit, message) < 0)
		goto out;
	b->committed = 1;
	gitcommit_update_index(b->st, ch, b->nops);
	rc = 0;
out:
	if (rc < 0)
		batch_undo(b);
	if (have_head)
		gitcommit_head_free(&h);
	free(ch);
	return rc;
}

void
store_batch_free(struct store_batch *b)
{
	size_t	 i;

	if (b == NULL)
		return;
	if (!b->committed) {
		/* Folders reserved for new incidents go, with anything the
		 * batch put in them. */
		batch_undo(b);
		for (i = 0; i < b->ndirs; i++)
			rmdir(b->dirs[i]);
		if (b->made_top)
			rmdir(b->incdir);
	}
	for (i = 0; i < b->nops; i++) {
		free(b->ops[i].id);
		free(b->ops[i].rel);
		free(b->ops[i].abs);
		buf_free(&b->ops[i].add);
		buf_free(&b->ops[i].content);
	}
	free(b->ops);
	for (i = 0; i < b->ndirs; i++)
		free(b->dirs[i]);
	free(b->dirs);
	free(b->incdir);
	if (b->locked)
		storelock_release(b->st);
	free(b);
}

/* --- for core/sync.c ------------------------------------------------------ */

git_repository *
store_repository(struct store *st)
{
	return st->repo;
}

int
store_lock_writers(struct store *st)
{
	store_set_warning(st, NULL);
	if (storelock_take(st) < 0)
		return -1;
	if (storelock_check_index(st) < 0) {
		storelock_release(st);
		return -1;
	}
	return 0;
}

void
store_unlock_writers(struct store *st)
{
	storelock_release(st);
}

int
store_signature(git_signature **out, struct store *st, const char *role)
{
	return gitcommit_signature(out, st->repo, role);
}

