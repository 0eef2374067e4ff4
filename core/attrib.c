/*
 * attrib.c - who logged each line of a timeline (attrib.h).
 *
 * Introductions. A commit C introduces the line r (a reference) of
 * incident ID when r is a line of C's incidents/ID/timeline.txt and of
 * none of its parents' versions of that file (a root commit has none).
 * That is a fact about C and its parents alone, whatever branch C is on
 * or wherever HEAD is, so once found it holds for good: the cache keeps
 * the introductions of every commit reachable from its watermark, and a
 * call walks only the commits reachable from HEAD but not from the
 * watermark, oldest first, and moves the watermark to HEAD. Inserts are
 * INSERT OR IGNORE of such facts, so two processes filling at once both
 * succeed; the watermark moves only when it is still the one the walk
 * started from (a compare-and-swap), so the cache stays complete below
 * it.
 *
 * The answer. git blame follows a line from HEAD to the first parent
 * that has it (to a parent whose blob is the same, if there is one) until
 * it reaches a commit whose parents lack it: one of its introductions.
 * Nearly always a line has exactly one, or several by the same author at
 * the same time (a cherry-pick, a rebase), and that is the answer. A line
 * deleted and added again has more; then the path git blame takes is
 * followed, from HEAD, for that line alone. A line that HEAD's version of
 * the file lacks is not committed.
 *
 * Speed. Trees are compared by id: a commit whose root tree, incidents
 * tree, incident folder or timeline blob is that of one of its parents
 * introduces nothing there (each of its lines is in that parent), so it
 * is skipped without parsing anything. Timelines are parsed once per
 * blob (the set of their references kept by blob id), and a version
 * that only appends to its first parent's has only the appended lines
 * parsed (refs_appended()). libgit2's check of every object read against
 * its id is off during the walk (git does not make it on a read either):
 * on a long history it was most of the time. A warm call reads the
 * incident's rows in one statement, and HEAD's lines from the cache
 * (head_lines), else from the work tree's file when it holds HEAD's
 * bytes: no delta chain resolved, nothing parsed twice.
 *
 * Where it differs from git blame: lines are compared as references, so
 * an event whose continuation lines were edited is a new line as a whole,
 * and a line that only moved within the file keeps its author. A version
 * of a timeline that does not parse introduces nothing; its lines are
 * taken to be those of its parents' versions.
 */
#include <sys/stat.h>

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <git2.h>
#include <sqlite3.h>

#include "attrib.h"
#include "error.h"
#include "fileio.h"
#include "incfile.h"
#include "incident.h"
#include "store.h"
#include "xmalloc.h"

#define BUSY_MS		5000
#define STR_(x)		#x
#define STR(x)		STR_(x)
/* References kept in the blob cache before it is emptied. */
#define REFS_CACHE_MAX	(4u * 1024 * 1024)
/* Incidents trees kept open during a walk (a merge's and its parents'). */
#define TREE_SLOTS	8
/* Timeline blobs kept open: a version and the one it appends to. */
#define BLOB_SLOTS	4
/* Versions looked at to find the lines of one that does not parse. */
#define UNPARSED_BUDGET	64

static _Thread_local struct attrib_stats last_stats;

/* --- sets of references ------------------------------------------------ */

/* Sorted 48-bit references. */
struct refset {
	uint64_t	*v;
	size_t		 n;
};

static int
u64_cmp(const void *a, const void *b)
{
	uint64_t	 x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static uint64_t
ref_value(const char *ref)
{
	return strtoull(ref, NULL, 16);
}

static int
refset_has(const struct refset *rs, uint64_t r)
{
	size_t	 lo = 0, hi, mid;

	if (rs == NULL)
		return 0;
	hi = rs->n;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (rs->v[mid] == r)
			return 1;
		if (rs->v[mid] < r)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

static void
refset_add(struct refset *rs, size_t *cap, uint64_t r)
{
	if (rs->n == *cap) {
		*cap = *cap == 0 ? 16 : *cap * 2;
		rs->v = xreallocarray(rs->v, *cap, sizeof *rs->v);
	}
	rs->v[rs->n++] = r;
}

static void
refset_sort(struct refset *rs)
{
	size_t	 i, k;

	if (rs->n == 0)
		return;
	qsort(rs->v, rs->n, sizeof *rs->v, u64_cmp);
	for (i = k = 1; i < rs->n; i++)
		if (rs->v[i] != rs->v[k - 1])
			rs->v[k++] = rs->v[i];
	rs->n = k;
}

/* Every line of a settled incident: events, withdrawn, corrections. */
static struct refset *
refset_of_incident(const struct incident *inc)
{
	struct refset	*rs;
	size_t		 i, cap = 0;

	rs = xcalloc(1, sizeof *rs);
	for (i = 0; i < inc->nevents; i++)
		refset_add(rs, &cap, ref_value(inc->events[i].ref));
	for (i = 0; i < inc->nretracted; i++)
		refset_add(rs, &cap, ref_value(inc->retracted[i].ref));
	for (i = 0; i < inc->ncorrections; i++)
		refset_add(rs, &cap, ref_value(inc->corrections[i].line.ref));
	refset_sort(rs);
	return rs;
}

static void
refset_free(struct refset *rs)
{
	if (rs != NULL)
		free(rs->v);
	free(rs);
}

/* --- the walk's caches -------------------------------------------------- */

/* A timeline blob: its references, or for one that does not parse the
 * lines of its parents' versions (eff, worked out when asked for). */
struct blob_slot {
	git_oid		 oid;
	int		 used;
	int		 parsed;
	struct refset	*rs;		/* parsed: its lines */
	struct refset	*eff;		/* not parsed: its parents' lines */
	size_t		 hdrlen;	/* parsed: bytes before its events */
};

struct blob_cache {
	struct blob_slot *v;
	size_t		 cap;		/* a power of two */
	size_t		 n;
	size_t		 nrefs;
};

/* One commit that introduced lines, and its author as written. */
struct wcommit {
	git_oid		 oid;
	char		*name;
	char		*email;
	int64_t		 at;
};

/* One line a commit introduced: incident id (owned), commit index. */
struct intro {
	char		*id;
	uint64_t	 ref;
	size_t		 commit;
};

struct walk {
	git_repository	*repo;
	const char	*root;		/* the work tree, NULL: none */
	const char	*only_id;	/* NULL: every incident */
	struct blob_cache bc;
	git_tree	*trees[TREE_SLOTS];
	unsigned long	 tree_use[TREE_SLOTS];
	git_blob	*blobs[BLOB_SLOTS];
	unsigned long	 blob_use[BLOB_SLOTS];
	unsigned long	 tick;
	struct wcommit	*commits;
	size_t		 ncommits, capcommits;
	struct intro	*intros;
	size_t		 nintros, capintros;
	struct attrib_stats *stats;
};

static size_t
oid_hash(const git_oid *oid)
{
	size_t	 h;

	memcpy(&h, oid->id, sizeof h);
	return h;
}

static void
blob_cache_clear(struct blob_cache *bc)
{
	size_t	 i;

	for (i = 0; i < bc->cap; i++)
		if (bc->v[i].used) {
			refset_free(bc->v[i].rs);
			refset_free(bc->v[i].eff);
		}
	free(bc->v);
	memset(bc, 0, sizeof *bc);
}

static struct blob_slot *
blob_cache_find(struct blob_cache *bc, const git_oid *oid)
{
	size_t	 i;

	if (bc->cap == 0)
		return NULL;
	for (i = oid_hash(oid) & (bc->cap - 1); bc->v[i].used;
	    i = (i + 1) & (bc->cap - 1))
		if (git_oid_equal(&bc->v[i].oid, oid))
			return &bc->v[i];
	return NULL;
}

/* A new slot for oid (not present); valid until the next insert. */
static struct blob_slot *
blob_cache_insert(struct blob_cache *bc, const git_oid *oid)
{
	struct blob_slot	*old;
	size_t			 oldcap, i, k;

	if ((bc->n + 1) * 2 > bc->cap) {
		old = bc->v;
		oldcap = bc->cap;
		bc->cap = oldcap == 0 ? 256 : oldcap * 2;
		bc->v = xcalloc(bc->cap, sizeof *bc->v);
		for (i = 0; i < oldcap; i++) {
			if (!old[i].used)
				continue;
			for (k = oid_hash(&old[i].oid) & (bc->cap - 1);
			    bc->v[k].used; k = (k + 1) & (bc->cap - 1))
				;
			bc->v[k] = old[i];
		}
		free(old);
	}
	for (k = oid_hash(oid) & (bc->cap - 1); bc->v[k].used;
	    k = (k + 1) & (bc->cap - 1))
		;
	memset(&bc->v[k], 0, sizeof bc->v[k]);
	bc->v[k].used = 1;
	git_oid_cpy(&bc->v[k].oid, oid);
	bc->n++;
	return &bc->v[k];
}

/* The byte offset of the start of line lineno (1-based) of buf. */
static size_t
line_offset(const char *buf, size_t len, unsigned lineno)
{
	const char	*nl;
	size_t		 off = 0;

	while (lineno > 1 && off < len &&
	    (nl = memchr(buf + off, '\n', len - off)) != NULL) {
		off = (size_t)(nl - buf) + 1;
		lineno--;
	}
	return lineno > 1 ? len : off;
}

/* Every line's reference of a parsed incident into a new set, and the
 * first line of its first event (UINT_MAX: none) into *first. */
static struct refset *
refset_of_parsed(const struct incident *inc, unsigned *first)
{
	size_t	 i;

	*first = UINT_MAX;
	for (i = 0; i < inc->nevents; i++)
		if (inc->events[i].line < *first)
			*first = inc->events[i].line;
	for (i = 0; i < inc->nretracted; i++)
		if (inc->retracted[i].line < *first)
			*first = inc->retracted[i].line;
	for (i = 0; i < inc->ncorrections; i++)
		if (inc->corrections[i].line.line < *first)
			*first = inc->corrections[i].line.line;
	return refset_of_incident(inc);
}

/* The line that stands in for an earlier version's events below. */
#define APPEND_STANDIN	"1970-01-01T00:00:00Z note pmtool attrib stand-in\n"

/*
 * The lines of buf when it is the version prev (which parsed, its
 * header hdrlen bytes, its lines prs) with lines appended: the lines of
 * prev, and those of the appended part parsed after prev's header and a
 * stand-in event (so that a header line among them is the error it is
 * in the whole file). NULL when that cannot be sure to give what a
 * parse of buf gives: not an append, text continuing prev's last
 * event, an appended line equal to one of prev (its copies count), an
 * appended part that does not parse.
 */
static struct refset *
refs_appended(const char *prev, size_t plen, size_t hdrlen,
    const struct refset *prs, const char *buf, size_t len)
{
	struct incident	*inc = NULL;
	struct refset	*add, *rs;
	char		*syn;
	size_t		 alen = len - plen, slen, i, j, k, cap;
	unsigned	 standin;

	if (plen == 0 || plen > len || prev[plen - 1] != '\n' ||
	    memcmp(prev, buf, plen) != 0 || hdrlen > plen || alen == 0 ||
	    buf[plen] == ' ' || buf[plen] == '\t' || buf[plen] == '\r' ||
	    memmem(buf + plen, alen, "pmtool attrib stand-in", 22) != NULL)
		return NULL;
	slen = hdrlen + sizeof APPEND_STANDIN - 1 + alen;
	syn = xmalloc(slen);
	memcpy(syn, prev, hdrlen);
	memcpy(syn + hdrlen, APPEND_STANDIN, sizeof APPEND_STANDIN - 1);
	memcpy(syn + hdrlen + sizeof APPEND_STANDIN - 1, buf + plen, alen);
	/* The stand-in's line. */
	for (standin = 1, i = 0; i < hdrlen; i++)
		standin += prev[i] == '\n';
	i = (size_t)incfile_parse(&inc, STORE_TIMELINE, syn, slen);
	free(syn);
	if (i != 0)
		return NULL;
	/* Drop the stand-in: it is the line at `standin`. */
	for (i = 0; i < inc->nevents; i++)
		if (inc->events[i].line == standin)
			inc->events[i].ref[0] = '\0';
	for (i = 0; i < inc->nretracted; i++)
		if (inc->retracted[i].line == standin)
			inc->retracted[i].ref[0] = '\0';
	add = xcalloc(1, sizeof *add);
	cap = 0;
	for (i = 0; i < inc->nevents; i++)
		if (inc->events[i].ref[0] != '\0')
			refset_add(add, &cap, ref_value(inc->events[i].ref));
	for (i = 0; i < inc->nretracted; i++)
		if (inc->retracted[i].ref[0] != '\0')
			refset_add(add, &cap, ref_value(inc->retracted[i].ref));
	for (i = 0; i < inc->ncorrections; i++)
		refset_add(add, &cap, ref_value(inc->corrections[i].line.ref));
	incident_free(inc);
	refset_sort(add);
	for (i = 0; i < add->n; i++)
		if (refset_has(prs, add->v[i])) {
			refset_free(add);
			return NULL;	/* a copy of an earlier line */
		}
	/* The union, merged in order. */
	rs = xcalloc(1, sizeof *rs);
	rs->n = prs->n + add->n;
	rs->v = xreallocarray(NULL, rs->n + 1, sizeof *rs->v);
	for (i = j = k = 0; i < prs->n || j < add->n; k++)
		rs->v[k] = j == add->n || (i < prs->n && prs->v[i] <
		    add->v[j]) ? prs->v[i++] : add->v[j++];
	refset_free(add);
	return rs;
}

/* The blob oid, from the walk's few open ones when it is there; a new
 * reference (git_blob_free()), NULL with the error set. */
static git_blob *
blob_get(struct walk *w, const git_oid *oid)
{
	git_blob	*b, *dup;
	size_t		 i, victim = 0;

	for (i = 0; i < BLOB_SLOTS; i++)
		if (w->blobs[i] != NULL &&
		    git_oid_equal(git_blob_id(w->blobs[i]), oid)) {
			w->blob_use[i] = ++w->tick;
			b = w->blobs[i];
			goto found;
		}
	if (git_blob_lookup(&b, w->repo, oid) < 0) {
		pm_error_git("cannot read the timeline blob %s",
		    git_oid_tostr_s(oid));
		return NULL;
	}
	for (i = 0; i < BLOB_SLOTS; i++) {
		if (w->blobs[i] == NULL) {
			victim = i;
			break;
		}
		if (w->blob_use[i] < w->blob_use[victim])
			victim = i;
	}
	git_blob_free(w->blobs[victim]);
	w->blobs[victim] = b;
	w->blob_use[victim] = ++w->tick;
found:
	if (git_blob_dup(&dup, b) < 0) {
		pm_error_git("cannot read the timeline blob %s",
		    git_oid_tostr_s(oid));
		return NULL;
	}
	return dup;
}

/* A new slot for blob oid of content buf: rs (taken, NULL: buf parsed
 * here) its lines. */
static struct blob_slot *
blob_slot_parse(struct walk *w, const git_oid *oid, const char *buf,
    size_t len, struct refset *rs, size_t hdrlen)
{
	struct blob_slot	*slot;
	struct incident		*inc = NULL;
	unsigned		 first;

	if (rs == NULL && incfile_parse(&inc, STORE_TIMELINE, buf, len) ==
	    0) {
		rs = refset_of_parsed(inc, &first);
		hdrlen = line_offset(buf, len, first);
		incident_free(inc);
	}
	slot = blob_cache_insert(&w->bc, oid);
	if (rs != NULL) {
		slot->parsed = 1;
		slot->rs = rs;
		slot->hdrlen = hdrlen;
		w->bc.nrefs += rs->n;
	}
	return slot;
}

/* The cached slot of a timeline blob, parsing it the first time; NULL
 * with the error set when the blob cannot be read. When base (may be
 * NULL) names an earlier version of the same timeline and this one only
 * appends to it, only the appended lines are parsed. */
static struct blob_slot *
blob_refs(struct walk *w, const git_oid *oid, const git_oid *base)
{
	struct blob_slot	*slot, *bslot;
	struct refset		*rs = NULL;
	git_blob		*blob = NULL, *bblob = NULL;
	const char		*buf;
	size_t			 len, hdrlen = 0;

	if ((slot = blob_cache_find(&w->bc, oid)) != NULL)
		return slot;
	if ((blob = blob_get(w, oid)) == NULL)
		return NULL;
	buf = git_blob_rawcontent(blob);
	len = (size_t)git_blob_rawsize(blob);
	if (base != NULL && !git_oid_equal(base, oid) &&
	    (bslot = blob_refs(w, base, NULL)) != NULL && bslot->parsed &&
	    (bblob = blob_get(w, base)) != NULL) {
		rs = refs_appended(git_blob_rawcontent(bblob),
		    (size_t)git_blob_rawsize(bblob), bslot->hdrlen, bslot->rs,
		    buf, len);
		hdrlen = bslot->hdrlen;
		git_blob_free(bblob);
	}
	slot = blob_slot_parse(w, oid, buf, len, rs, hdrlen);
	w->stats->parsed++;
	git_blob_free(blob);
	return slot;
}

/* The slot of HEAD's timeline blob oid: when it is not cached and the
 * work tree's file (path) holds the same bytes, parsed from the file:
 * one read, not the blob's chain of deltas. */
static struct blob_slot *
blob_refs_worktree(struct walk *w, const git_oid *oid, const char *path)
{
	struct blob_slot	*slot;
	struct buf		 b = BUF_INIT;
	git_oid			 h;

	if ((slot = blob_cache_find(&w->bc, oid)) != NULL)
		return slot;
	if (path != NULL && fileio_is_file(path) && fileio_read(&b, path) ==
	    0 && git_odb_hash(&h, b.data != NULL ? b.data : "", b.len,
	    GIT_OBJECT_BLOB) == 0 && git_oid_equal(&h, oid)) {
		slot = blob_slot_parse(w, oid, b.data != NULL ? b.data : "",
		    b.len, NULL, 0);
		w->stats->parsed++;
	}
	buf_free(&b);
	return slot != NULL ? slot : blob_refs(w, oid, NULL);
}

/* The incidents tree (oid), from the walk's few open ones when it is
 * there; borrowed, valid until the next call. */
static git_tree *
tree_get(struct walk *w, const git_oid *oid)
{
	git_tree	*t;
	size_t		 i, victim = 0;

	for (i = 0; i < TREE_SLOTS; i++)
		if (w->trees[i] != NULL &&
		    git_oid_equal(git_tree_id(w->trees[i]), oid)) {
			w->tree_use[i] = ++w->tick;
			return w->trees[i];
		}
	if (git_tree_lookup(&t, w->repo, oid) < 0) {
		pm_error_git("cannot read the tree %s", git_oid_tostr_s(oid));
		return NULL;
	}
	for (i = 0; i < TREE_SLOTS; i++) {
		if (w->trees[i] == NULL) {
			victim = i;
			break;
		}
		if (w->tree_use[i] < w->tree_use[victim])
			victim = i;
	}
	git_tree_free(w->trees[victim]);
	w->trees[victim] = t;
	w->tree_use[victim] = ++w->tick;
	return t;
}

/* tree_get(), as a new reference (git_tree_free()). 0 or -1. */
static int
tree_take(git_tree **out, struct walk *w, const git_oid *oid)
{
	git_tree	*t;

	*out = NULL;
	if ((t = tree_get(w, oid)) == NULL)
		return -1;
	if (git_tree_dup(out, t) < 0)
		return pm_error_git("cannot read the tree %s",
		    git_oid_tostr_s(oid));
	return 0;
}

/* The id of the incidents tree of commit c: 1 found, 0 none. */
static int
incidents_oid(git_oid *out, git_repository *repo, const git_commit *c)
{
	const git_tree_entry	*e;
	git_tree		*root;
	int			 found = 0;

	if (git_commit_tree(&root, c) < 0)
		return pm_error_git("cannot read the tree of %s",
		    git_oid_tostr_s(git_commit_id(c)));
	e = git_tree_entry_byname(root, STORE_INCIDENTS);
	if (e != NULL && git_tree_entry_type(e) == GIT_OBJECT_TREE) {
		git_oid_cpy(out, git_tree_entry_id(e));
		found = 1;
	}
	git_tree_free(root);
	return found;
}

/* The timeline blob of the incident folder tree (folder_oid): 1 found, 0
 * none, -1 error. */
static int
folder_timeline(git_oid *out, git_repository *repo, const git_oid *folder_oid)
{
	const git_tree_entry	*e;
	git_tree		*folder;
	git_filemode_t		 mode;
	int			 found = 0;

	if (git_tree_lookup(&folder, repo, folder_oid) < 0)
		return pm_error_git("cannot read the tree %s",
		    git_oid_tostr_s(folder_oid));
	e = git_tree_entry_byname(folder, STORE_TIMELINE);
	if (e != NULL) {
		mode = git_tree_entry_filemode(e);
		if (mode == GIT_FILEMODE_BLOB ||
		    mode == GIT_FILEMODE_BLOB_EXECUTABLE) {
			git_oid_cpy(out, git_tree_entry_id(e));
			found = 1;
		}
	}
	git_tree_free(folder);
	return found;
}

/* The timeline blob of incident id in commit c: 1 found, 0 none, -1. */
static int
commit_timeline(git_oid *out, struct walk *w, const git_commit *c,
    const char *id)
{
	const git_tree_entry	*e;
	git_tree		*inc_tree;
	git_oid			 oid;
	int			 r;

	if ((r = incidents_oid(&oid, w->repo, c)) <= 0)
		return r;
	if ((inc_tree = tree_get(w, &oid)) == NULL)
		return -1;
	e = git_tree_entry_byname(inc_tree, id);
	if (e == NULL || git_tree_entry_type(e) != GIT_OBJECT_TREE)
		return 0;
	git_oid_cpy(&oid, git_tree_entry_id(e));
	return folder_timeline(out, w->repo, &oid);
}

/*
 * The lines of the timeline blob of incident id at commit c: its own
 * when it parses, else those of c's parents' versions (looked at within
 * *budget versions). *out borrowed from the cache (NULL: none). 0 or -1.
 */
static int
lines_at(const struct refset **out, struct walk *w, const git_commit *c,
    const char *id, const git_oid *blob, int *budget)
{
	struct blob_slot	*slot;
	const struct refset	*prs;
	struct refset		*eff;
	git_commit		*p;
	git_oid			 pblob;
	size_t			 i, j, n, cap = 0;
	int			 r;

	*out = NULL;
	if ((slot = blob_refs(w, blob, NULL)) == NULL)
		return -1;
	if (slot->parsed || slot->eff != NULL) {
		*out = slot->parsed ? slot->rs : slot->eff;
		return 0;
	}
	eff = xcalloc(1, sizeof *eff);
	n = git_commit_parentcount(c);
	for (i = 0; i < n && *budget > 0; i++) {
		if (git_commit_parent(&p, c, (unsigned)i) < 0)
			continue;	/* shallow: as if there were none */
		(*budget)--;
		r = commit_timeline(&pblob, w, p, id);
		prs = NULL;
		/* The same version in the parent: its own parents' lines. */
		if (r == 1)
			r = lines_at(&prs, w, p, id, &pblob, budget);
		git_commit_free(p);
		if (r < 0) {
			refset_free(eff);
			return -1;
		}
		for (j = 0; prs != NULL && j < prs->n; j++)
			refset_add(eff, &cap, prs->v[j]);
	}
	refset_sort(eff);
	/* The slot may have moved: parsing the parents inserts. And a
	 * parent with the same blob set it meanwhile, to what eff holds
	 * (and, for a merge, less): eff replaces it. Nothing else holds
	 * it: it was made within this call. */
	slot = blob_cache_find(&w->bc, blob);
	if (slot->eff != NULL) {
		w->bc.nrefs -= slot->eff->n;
		refset_free(slot->eff);
	}
	slot->eff = eff;
	w->bc.nrefs += eff->n;
	*out = eff;
	return 0;
}

/* The index of commit c among those that introduced lines, added. */
static size_t
walk_commit_index(struct walk *w, const git_commit *c)
{
	const git_signature	*a;

	if (w->ncommits > 0 && git_oid_equal(&w->commits[w->ncommits - 1].oid,
	    git_commit_id(c)))
		return w->ncommits - 1;
	if (w->ncommits == w->capcommits) {
		w->capcommits = w->capcommits == 0 ? 64 : w->capcommits * 2;
		w->commits = xreallocarray(w->commits, w->capcommits,
		    sizeof *w->commits);
	}
	a = git_commit_author(c);
	git_oid_cpy(&w->commits[w->ncommits].oid, git_commit_id(c));
	w->commits[w->ncommits].name = xstrdup(a != NULL && a->name != NULL ?
	    a->name : "");
	w->commits[w->ncommits].email = xstrdup(a != NULL && a->email !=
	    NULL ? a->email : "");
	w->commits[w->ncommits].at = a != NULL ? (int64_t)a->when.time : 0;
	return w->ncommits++;
}

static void
walk_add_intro(struct walk *w, const git_commit *c, const char *id,
    uint64_t ref)
{
	if (w->nintros == w->capintros) {
		w->capintros = w->capintros == 0 ? 256 : w->capintros * 2;
		w->intros = xreallocarray(w->intros, w->capintros,
		    sizeof *w->intros);
	}
	w->intros[w->nintros].commit = walk_commit_index(w, c);
	w->intros[w->nintros].id = xstrdup(id);
	w->intros[w->nintros].ref = ref;
	w->nintros++;
	w->stats->recorded++;
}

/*
 * One incident folder (entry e of c's incidents tree) that differs from
 * the folder in every parent: record the lines it introduces.
 */
static int
walk_folder(struct walk *w, const git_commit *c, git_commit **par,
    git_tree **ptrees, size_t np, const git_tree_entry *e)
{
	const struct refset	*mine, **theirs;
	const git_tree_entry	*pe;
	struct blob_slot	*slot;
	const char		*id = git_tree_entry_name(e);
	git_oid			 blob, *pblob;
	int			*has, r, budget, ret = -1;
	size_t			 i, j, *pos;

	for (i = 0; i < np; i++) {
		if (ptrees[i] == NULL)
			continue;
		pe = git_tree_entry_byname(ptrees[i], id);
		if (pe != NULL && git_oid_equal(git_tree_entry_id(pe),
		    git_tree_entry_id(e)))
			return 0;	/* the same folder as a parent's */
	}
	if ((r = folder_timeline(&blob, w->repo, git_tree_entry_id(e))) <= 0)
		return r;
	pblob = xcalloc(np + 1, sizeof *pblob);
	has = xcalloc(np + 1, sizeof *has);
	theirs = xcalloc(np + 1, sizeof *theirs);
	for (i = 0; i < np; i++) {
		if (ptrees[i] == NULL)
			continue;
		pe = git_tree_entry_byname(ptrees[i], id);
		if (pe == NULL || git_tree_entry_type(pe) != GIT_OBJECT_TREE)
			continue;
		if ((r = folder_timeline(&pblob[i], w->repo,
		    git_tree_entry_id(pe))) < 0)
			goto out;
		has[i] = r;
		if (has[i] && git_oid_equal(&pblob[i], &blob)) {
			ret = 0;	/* the same timeline as a parent's */
			goto out;
		}
	}
	/* The first parent's version, to parse only what was appended. */
	for (i = 0; i < np && !has[i]; i++)
		;
	if ((slot = blob_refs(w, &blob, i < np ? &pblob[i] : NULL)) == NULL)
		goto out;
	if (!slot->parsed) {
		ret = 0;	/* a version that does not parse: skipped */
		goto out;
	}
	mine = slot->rs;
	for (i = 0; i < np; i++) {
		budget = UNPARSED_BUDGET;
		if (has[i] && lines_at(&theirs[i], w, par[i], id, &pblob[i],
		    &budget) < 0)
			goto out;
	}
	/* The parents' parsing may have moved the slot, not the set. Both
	 * sides sorted: one pass over each (pos[i] into theirs[i]). */
	pos = xcalloc(np + 1, sizeof *pos);
	for (j = 0; j < mine->n; j++) {
		for (i = 0; i < np; i++) {
			if (theirs[i] == NULL)
				continue;
			while (pos[i] < theirs[i]->n &&
			    theirs[i]->v[pos[i]] < mine->v[j])
				pos[i]++;
			if (pos[i] < theirs[i]->n &&
			    theirs[i]->v[pos[i]] == mine->v[j])
				break;
		}
		if (i == np)
			walk_add_intro(w, c, id, mine->v[j]);
	}
	free(pos);
	ret = 0;
out:
	free(pblob);
	free(has);
	free(theirs);
	return ret;
}

/* 1 when a parent's incidents tree has entry e (folder and id) at the
 * same index: the common case (one folder changed, new ones added last,
 * as ids start with their date), told without a search by name. 0 says
 * nothing: walk_folder() looks by name. */
static int
same_at_index(git_tree **ptrees, size_t np, const git_tree_entry *e,
    size_t i)
{
	const git_tree_entry	*pe;
	size_t			 k;

	for (k = 0; k < np; k++) {
		if (ptrees[k] == NULL ||
		    (pe = git_tree_entry_byindex(ptrees[k], i)) == NULL)
			continue;
		if (git_oid_equal(git_tree_entry_id(pe),
		    git_tree_entry_id(e)) && strcmp(git_tree_entry_name(pe),
		    git_tree_entry_name(e)) == 0)
			return 1;
	}
	return 0;
}

/* Record the lines commit oid introduces. */
static int
walk_commit(struct walk *w, const git_oid *oid)
{
	git_commit		*c = NULL, **par = NULL;
	git_tree		**ptrees = NULL, *mine = NULL;
	const git_tree_entry	*e;
	git_oid			 inc_oid, *poids = NULL;
	size_t			 np, i, n;
	int			*phas = NULL, r, ret = -1;

	w->stats->walked++;
	if (w->bc.nrefs > REFS_CACHE_MAX)
		blob_cache_clear(&w->bc);
	if (git_commit_lookup(&c, w->repo, oid) < 0)
		return pm_error_git("cannot read the commit %s",
		    git_oid_tostr_s(oid));
	np = git_commit_parentcount(c);
	par = xcalloc(np + 1, sizeof *par);
	ptrees = xcalloc(np + 1, sizeof *ptrees);
	poids = xcalloc(np + 1, sizeof *poids);
	phas = xcalloc(np + 1, sizeof *phas);
	for (i = 0; i < np; i++) {
		/* A parent missing (a shallow clone) counts as none. */
		if (git_commit_parent(&par[i], c, (unsigned)i) < 0)
			continue;
		if (git_oid_equal(git_commit_tree_id(par[i]),
		    git_commit_tree_id(c))) {
			ret = 0;	/* the same tree as a parent's */
			goto out;
		}
	}
	if ((r = incidents_oid(&inc_oid, w->repo, c)) <= 0) {
		ret = r;
		goto out;
	}
	for (i = 0; i < np; i++) {
		if (par[i] == NULL)
			continue;
		if ((r = incidents_oid(&poids[i], w->repo, par[i])) < 0)
			goto out;
		phas[i] = r;
		if (phas[i] && git_oid_equal(&poids[i], &inc_oid)) {
			ret = 0;
			goto out;
		}
	}
	/* Own references: tree_get() closes older ones, here (an octopus
	 * merge) and below (lines_at() going back through versions that
	 * do not parse). */
	for (i = 0; i < np; i++)
		if (phas[i] && tree_take(&ptrees[i], w, &poids[i]) < 0)
			goto out;
	if (tree_take(&mine, w, &inc_oid) < 0)
		goto out;
	if (w->only_id != NULL) {
		e = git_tree_entry_byname(mine, w->only_id);
		if (e != NULL && git_tree_entry_type(e) == GIT_OBJECT_TREE &&
		    walk_folder(w, c, par, ptrees, np, e) < 0)
			goto out;
	} else {
		n = git_tree_entrycount(mine);
		for (i = 0; i < n; i++) {
			e = git_tree_entry_byindex(mine, i);
			if (git_tree_entry_type(e) != GIT_OBJECT_TREE ||
			    same_at_index(ptrees, np, e, i))
				continue;
			if (walk_folder(w, c, par, ptrees, np, e) < 0)
				goto out;
		}
	}
	ret = 0;
out:
	for (i = 0; i < np; i++) {
		git_commit_free(par[i]);
		git_tree_free(ptrees[i]);
	}
	git_tree_free(mine);
	free(par);
	free(ptrees);
	free(poids);
	free(phas);
	git_commit_free(c);
	return ret;
}

/* --- a walk of a shallow clone ------------------------------------------- */

/* A set of commit ids (open addressing). */
struct oidset {
	git_oid		*v;
	unsigned char	*used;
	size_t		 cap, n;		/* cap: a power of two */
};

static int
oidset_has(const struct oidset *os, const git_oid *oid)
{
	size_t	 i;

	if (os == NULL || os->cap == 0)
		return 0;
	for (i = oid_hash(oid) & (os->cap - 1); os->used[i];
	    i = (i + 1) & (os->cap - 1))
		if (git_oid_equal(&os->v[i], oid))
			return 1;
	return 0;
}

static void
oidset_add(struct oidset *os, const git_oid *oid)
{
	struct oidset	 old = *os;
	size_t		 i, k;

	if ((os->n + 1) * 2 > os->cap) {
		os->cap = old.cap == 0 ? 256 : old.cap * 2;
		os->v = xcalloc(os->cap, sizeof *os->v);
		os->used = xcalloc(os->cap, 1);
		os->n = 0;
		for (i = 0; i < old.cap; i++)
			if (old.used[i])
				oidset_add(os, &old.v[i]);
		free(old.v);
		free(old.used);
	}
	for (k = oid_hash(oid) & (os->cap - 1); os->used[k];
	    k = (k + 1) & (os->cap - 1))
		if (git_oid_equal(&os->v[k], oid))
			return;
	git_oid_cpy(&os->v[k], oid);
	os->used[k] = 1;
	os->n++;
}

static void
oidset_free(struct oidset *os)
{
	free(os->v);
	free(os->used);
	memset(os, 0, sizeof *os);
}

struct frame {
	git_commit	*c;
	unsigned	 next;		/* the next parent to look at */
};

/*
 * Every commit reachable from start that is not in stop (NULL: none)
 * or reachable only through it, marked in seen and, when out is not
 * NULL, appended to *out parents first. A parent that is not in the
 * repository (the boundary of a shallow clone) counts as none, as git
 * does there. 0 or -1.
 */
static int
collect(git_oid **out, size_t *n, size_t *cap, git_repository *repo,
    const git_oid *start, struct oidset *seen, const struct oidset *stop)
{
	struct frame	*st = NULL;
	const git_oid	*pid;
	git_commit	*c;
	size_t		 k = 0, scap = 0;
	int		 ret = -1;

	if (oidset_has(seen, start) || oidset_has(stop, start))
		return 0;
	if (git_commit_lookup(&c, repo, start) < 0)
		return pm_error_git("cannot read the commit %s",
		    git_oid_tostr_s(start));
	oidset_add(seen, start);
	for (;;) {
		if (c != NULL) {
			if (k == scap) {
				scap = scap == 0 ? 64 : scap * 2;
				st = xreallocarray(st, scap, sizeof *st);
			}
			st[k].c = c;
			st[k++].next = 0;
			c = NULL;
		}
		if (k == 0)
			break;
		if (st[k - 1].next < git_commit_parentcount(st[k - 1].c)) {
			pid = git_commit_parent_id(st[k - 1].c,
			    st[k - 1].next++);
			if (pid == NULL || oidset_has(seen, pid) ||
			    oidset_has(stop, pid))
				continue;
			if (git_commit_lookup(&c, repo, pid) < 0) {
				c = NULL;	/* beyond the boundary */
				continue;
			}
			oidset_add(seen, pid);
			continue;
		}
		if (out != NULL) {
			if (*n == *cap) {
				*cap = *cap == 0 ? 256 : *cap * 2;
				*out = xreallocarray(*out, *cap, sizeof **out);
			}
			git_oid_cpy(&(*out)[(*n)++], git_commit_id(st[k - 1].c));
		}
		git_commit_free(st[--k].c);
	}
	ret = 0;
	free(st);
	return ret;
}

/* The commits of walk_run() in a shallow clone, where libgit2 (1.5)
 * fails on the missing parents: into *out (free()), parents first. */
static int
shallow_commits(git_oid **out, size_t *n, git_repository *repo,
    const git_oid *head, const git_oid *hide)
{
	struct oidset	 hidden, seen;
	size_t		 cap = 0;
	int		 r = 0;

	memset(&hidden, 0, sizeof hidden);
	memset(&seen, 0, sizeof seen);
	*out = NULL;
	*n = 0;
	if (hide != NULL)
		r = collect(NULL, n, &cap, repo, hide, &hidden, NULL);
	if (r == 0)
		r = collect(out, n, &cap, repo, head, &seen, &hidden);
	oidset_free(&hidden);
	oidset_free(&seen);
	if (r < 0) {
		free(*out);
		*out = NULL;
		*n = 0;
	}
	return r;
}

/* Walk the commits reachable from head but not from hide (NULL: all),
 * parents before children. */
static int
walk_run(struct walk *w, const git_oid *head, const git_oid *hide)
{
	git_revwalk	*rw = NULL;
	git_oid		 oid, *list = NULL;
	size_t		 i, n = 0;
	int		 r, ret = -1;

	/* A shallow clone: libgit2 1.5's revwalk fails on the boundary's
	 * missing parents (and leaks what it sorted); collected by hand. */
	if (git_repository_is_shallow(w->repo) == 1) {
		if (shallow_commits(&list, &n, w->repo, head, hide) < 0)
			return -1;
	} else if (git_revwalk_new(&rw, w->repo) < 0 ||
	    git_revwalk_sorting(rw, GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE) <
	    0 || git_revwalk_push(rw, head) < 0 ||
	    (hide != NULL && git_revwalk_hide(rw, hide) < 0)) {
		pm_error_git("cannot walk the history");
		goto out;
	}
	/*
	 * The walk reads every version of every timeline it compares; with
	 * libgit2's check of each object read against its id (SHA-1DC over
	 * the whole blob, which git itself does not do on a read) that is
	 * most of the time of a walk of a long history. Off for the walk,
	 * then on again (its default; pmtool never turns it off otherwise).
	 */
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
	if (rw == NULL) {
		for (i = 0, r = GIT_ITEROVER; i < n && r == GIT_ITEROVER; i++)
			if (walk_commit(w, &list[i]) < 0)
				r = 0;
	} else
		while ((r = git_revwalk_next(&oid, rw)) == 0)
			if (walk_commit(w, &oid) < 0)
				break;
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 1);
	if (r == 0)
		goto out;	/* walk_commit() set the error */
	if (r != GIT_ITEROVER) {
		pm_error_git("cannot walk the history");
		goto out;
	}
	ret = 0;
out:
	free(list);
	git_revwalk_free(rw);
	return ret;
}

static void
walk_init(struct walk *w, struct store *st, struct attrib_stats *stats)
{
	memset(w, 0, sizeof *w);
	w->repo = store_repository(st);
	w->root = store_root(st);
	w->stats = stats;
}

static void
walk_free(struct walk *w)
{
	size_t	 i;

	blob_cache_clear(&w->bc);
	for (i = 0; i < TREE_SLOTS; i++)
		git_tree_free(w->trees[i]);
	for (i = 0; i < BLOB_SLOTS; i++)
		git_blob_free(w->blobs[i]);
	for (i = 0; i < w->ncommits; i++) {
		free(w->commits[i].name);
		free(w->commits[i].email);
	}
	free(w->commits);
	for (i = 0; i < w->nintros; i++)
		free(w->intros[i].id);
	free(w->intros);
	memset(w, 0, sizeof *w);
}

/* --- the cache file ----------------------------------------------------- */

struct cache {
	sqlite3		*db;
	char		*path;
	int		 rc;		/* the last sqlite failure */
};

static const char *const schema[] = {
	/* One row per line a commit introduced; ref is its 48 bits. */
	"CREATE TABLE intro ("
	" incident TEXT NOT NULL,"
	" ref INTEGER NOT NULL,"
	" commit_id BLOB NOT NULL,"
	" author TEXT NOT NULL,"
	" email TEXT NOT NULL,"
	" at INTEGER NOT NULL,"
	" PRIMARY KEY (incident, ref, commit_id)) WITHOUT ROWID",
	/* The lines (refs, 6 bytes each, little-endian, sorted) of the
	 * version of each incident's timeline a call last found at HEAD. */
	"CREATE TABLE head_lines ("
	" incident TEXT PRIMARY KEY NOT NULL,"
	" blob BLOB NOT NULL,"
	" refs BLOB NOT NULL) WITHOUT ROWID",
	/* 'watermark': every commit reachable from it is in intro. */
	"CREATE TABLE state ("
	" key TEXT PRIMARY KEY NOT NULL,"
	" value TEXT NOT NULL) WITHOUT ROWID",
	("PRAGMA user_version = " STR(ATTRIB_SCHEMA_VERSION)),
};

/* sqlite's verdict that the file is not a usable database. */
static int
is_corrupt(int rc)
{
	rc &= 0xff;
	return rc == SQLITE_NOTADB || rc == SQLITE_CORRUPT;
}

static int
exec_sql(sqlite3 *db, const char *sql)
{
	sqlite3_stmt	*stmt = NULL;
	int		 rc;

	rc = sqlite3_prepare_v2(db, sql, -1, &stmt, NULL);
	if (rc == SQLITE_OK) {
		while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
			;
		if (rc == SQLITE_DONE)
			rc = SQLITE_OK;
	}
	sqlite3_finalize(stmt);
	return rc;
}

static int
read_version(sqlite3 *db, int *version)
{
	sqlite3_stmt	*stmt = NULL;
	int		 rc;

	rc = sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &stmt, NULL);
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(stmt);
		if (rc == SQLITE_ROW) {
			*version = sqlite3_column_int(stmt, 0);
			rc = SQLITE_OK;
		}
	}
	sqlite3_finalize(stmt);
	return rc;
}

/* How many tables, indexes, views the database holds. */
static int
count_tables(sqlite3 *db, int *out)
{
	sqlite3_stmt	*stmt = NULL;
	int		 rc;

	rc = sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_master", -1,
	    &stmt, NULL);
	if (rc == SQLITE_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		*out = sqlite3_column_int(stmt, 0);
		rc = SQLITE_OK;
	}
	sqlite3_finalize(stmt);
	return rc;
}

static int
create_schema(sqlite3 *db)
{
	size_t	 i;
	int	 rc, version = -1;

	if ((rc = exec_sql(db, "BEGIN IMMEDIATE")) != SQLITE_OK)
		return rc;
	/* Another process may have made it while this one waited. */
	rc = read_version(db, &version);
	for (i = 0; rc == SQLITE_OK && version != ATTRIB_SCHEMA_VERSION &&
	    i < sizeof schema / sizeof schema[0]; i++)
		rc = exec_sql(db, schema[i]);
	if (rc == SQLITE_OK)
		return exec_sql(db, "COMMIT");
	exec_sql(db, "ROLLBACK");
	return rc;
}

static void
cache_close(struct cache *c)
{
	if (c->db != NULL)
		sqlite3_close(c->db);
	c->db = NULL;
}

static int
cache_remove(struct cache *c)
{
	static const char *const sfx[] = { "", "-wal", "-shm", "-journal" };
	char	*p;
	size_t	 i;
	int	 rc = 0;

	for (i = 0; i < sizeof sfx / sizeof sfx[0]; i++) {
		p = xasprintf("%s%s", c->path, sfx[i]);
		if (unlink(p) == -1 && errno != ENOENT)
			rc = pm_error_sys("cannot remove %s", p);
		free(p);
	}
	return rc;
}

/* One try: 0 open, 1 the file must go (not when fresh), -1 error. */
static int
cache_open_once(struct cache *c, int fresh)
{
	int	 rc, version = -1, ntables = 0;

	rc = sqlite3_open_v2(c->path, &c->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_busy_timeout(c->db, BUSY_MS);
		sqlite3_extended_result_codes(c->db, 1);
		rc = read_version(c->db, &version);
	}
	/* An empty file reads as version 0: made here, not deleted; a
	 * database of version 0 that holds tables is not a cache. */
	if (rc == SQLITE_OK && version == 0 && !fresh)
		rc = count_tables(c->db, &ntables);
	if (rc == SQLITE_OK && version != ATTRIB_SCHEMA_VERSION &&
	    (version != 0 || ntables > 0) && !fresh)
		return 1;
	if (rc == SQLITE_OK)
		rc = exec_sql(c->db, "PRAGMA journal_mode = WAL");
	if (rc == SQLITE_OK)
		rc = exec_sql(c->db, "PRAGMA synchronous = NORMAL");
	if (rc == SQLITE_OK && version != ATTRIB_SCHEMA_VERSION)
		rc = create_schema(c->db);
	if (rc == SQLITE_OK)
		return 0;
	c->rc = rc;
	if (is_corrupt(rc) && !fresh)
		return 1;
	return pm_error_set("%s: %s", c->path, c->db != NULL ?
	    sqlite3_errmsg(c->db) : "cannot open");
}

/* Open the cache, making it (and its folder) when missing, making it
 * anew when it is damaged or of another version (*rebuilt 1). */
static int
cache_open(struct cache *c, int *rebuilt)
{
	char	*slash;
	int	 r;

	slash = strrchr(c->path, '/');
	*slash = '\0';
	r = mkdir(c->path, 0777);
	*slash = '/';
	if (r == -1 && errno != EEXIST)
		return pm_error_sys("cannot create the folder of %s", c->path);
	if ((r = cache_open_once(c, 0)) == 1) {
		cache_close(c);
		*rebuilt = 1;
		if ((r = cache_remove(c)) == 0)
			r = cache_open_once(c, 1);
	}
	if (r != 0)
		cache_close(c);
	return r;
}

/* The watermark into out (GIT_OID_HEXSZ + 1 bytes; "" when none). */
static int
cache_watermark(struct cache *c, char *out)
{
	sqlite3_stmt	*stmt = NULL;
	const char	*v;
	int		 rc;

	*out = '\0';
	rc = sqlite3_prepare_v2(c->db, "SELECT value FROM state"
	    " WHERE key = 'watermark'", -1, &stmt, NULL);
	if (rc == SQLITE_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		v = (const char *)sqlite3_column_text(stmt, 0);
		if (v != NULL && strlen(v) == GIT_OID_HEXSZ)
			memcpy(out, v, GIT_OID_HEXSZ + 1);
		rc = SQLITE_DONE;
	}
	rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
	sqlite3_finalize(stmt);
	return rc;
}

/*
 * Store what the walk found and, when the watermark is still base, move
 * it to head (wipe: delete the old rows first, as base is gone). One
 * transaction; an sqlite result code.
 */
static int
cache_store(struct cache *c, const struct walk *w, const char *base,
    const char *head, int wipe)
{
	sqlite3_stmt		*ins = NULL, *mark = NULL;
	const struct wcommit	*wc;
	char			 now[GIT_OID_HEXSZ + 1];
	size_t			 i;
	int			 rc, cas;

	if ((rc = exec_sql(c->db, "BEGIN IMMEDIATE")) != SQLITE_OK)
		return rc;
	rc = cache_watermark(c, now);
	cas = rc == SQLITE_OK && strcmp(now, base) == 0;
	if (rc == SQLITE_OK && cas && wipe)
		rc = exec_sql(c->db, "DELETE FROM intro");
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(c->db, "INSERT OR IGNORE INTO intro"
		    " (incident, ref, commit_id, author, email, at)"
		    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)", -1, &ins, NULL);
	for (i = 0; i < w->nintros && rc == SQLITE_OK; i++) {
		wc = &w->commits[w->intros[i].commit];
		rc = sqlite3_bind_text(ins, 1, w->intros[i].id, -1,
		    SQLITE_STATIC);
		if (rc == SQLITE_OK)
			rc = sqlite3_bind_int64(ins, 2,
			    (sqlite3_int64)w->intros[i].ref);
		if (rc == SQLITE_OK)
			rc = sqlite3_bind_blob(ins, 3, wc->oid.id, GIT_OID_RAWSZ,
			    SQLITE_STATIC);
		if (rc == SQLITE_OK)
			rc = sqlite3_bind_text(ins, 4, wc->name, -1,
			    SQLITE_STATIC);
		if (rc == SQLITE_OK)
			rc = sqlite3_bind_text(ins, 5, wc->email, -1,
			    SQLITE_STATIC);
		if (rc == SQLITE_OK)
			rc = sqlite3_bind_int64(ins, 6, (sqlite3_int64)wc->at);
		if (rc == SQLITE_OK && (rc = sqlite3_step(ins)) == SQLITE_DONE)
			rc = SQLITE_OK;
		sqlite3_reset(ins);
	}
	if (rc == SQLITE_OK && cas)
		rc = sqlite3_prepare_v2(c->db, "INSERT OR REPLACE INTO state"
		    " (key, value) VALUES ('watermark', ?1)", -1, &mark, NULL);
	if (rc == SQLITE_OK && cas)
		rc = sqlite3_bind_text(mark, 1, head, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK && cas && (rc = sqlite3_step(mark)) == SQLITE_DONE)
		rc = SQLITE_OK;
	sqlite3_finalize(ins);
	sqlite3_finalize(mark);
	if (rc == SQLITE_OK)
		rc = exec_sql(c->db, "COMMIT");
	if (rc != SQLITE_OK)
		exec_sql(c->db, "ROLLBACK");
	return rc;
}

/* HEAD's lines of incident id as the cache keeps them, when it keeps
 * them for that blob: a new set, else NULL. */
static struct refset *
cache_head_lines(struct cache *c, const char *id, const git_oid *blob)
{
	sqlite3_stmt		*stmt = NULL;
	struct refset		*rs = NULL;
	const unsigned char	*p;
	size_t			 i, k, n;
	int			 rc;

	rc = sqlite3_prepare_v2(c->db, "SELECT refs FROM head_lines"
	    " WHERE incident = ?1 AND blob = ?2", -1, &stmt, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(stmt, 1, id, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_blob(stmt, 2, blob->id, GIT_OID_RAWSZ,
		    SQLITE_STATIC);
	if (rc == SQLITE_OK && sqlite3_step(stmt) == SQLITE_ROW &&
	    sqlite3_column_bytes(stmt, 0) % 6 == 0) {
		n = (size_t)sqlite3_column_bytes(stmt, 0) / 6;
		p = sqlite3_column_blob(stmt, 0);
		rs = xcalloc(1, sizeof *rs);
		rs->v = xreallocarray(NULL, n + 1, sizeof *rs->v);
		for (i = 0; i < n; i++) {
			rs->v[i] = 0;
			for (k = 0; k < 6; k++)
				rs->v[i] |= (uint64_t)p[i * 6 + k] << (8 * k);
			/* Not sorted, or repeated: not what was stored. */
			if (i > 0 && rs->v[i] <= rs->v[i - 1]) {
				refset_free(rs);
				rs = NULL;
				break;
			}
		}
		if (rs != NULL)
			rs->n = n;
	}
	sqlite3_finalize(stmt);
	return rs;
}

/* Keep HEAD's lines of incident id (blob's) for the next call; a
 * failure (busy, read-only) only loses that. */
static void
cache_keep_head_lines(struct cache *c, const char *id, const git_oid *blob,
    const struct refset *rs)
{
	sqlite3_stmt	*stmt = NULL;
	unsigned char	*p;
	size_t		 i, k;
	int		 rc;

	p = xmalloc(rs->n * 6 + 1);
	for (i = 0; i < rs->n; i++)
		for (k = 0; k < 6; k++)
			p[i * 6 + k] = (unsigned char)(rs->v[i] >> (8 * k));
	rc = sqlite3_prepare_v2(c->db, "INSERT OR REPLACE INTO head_lines"
	    " (incident, blob, refs) VALUES (?1, ?2, ?3)", -1, &stmt, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(stmt, 1, id, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_blob(stmt, 2, blob->id, GIT_OID_RAWSZ,
		    SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_blob(stmt, 3, p, (int)(rs->n * 6),
		    SQLITE_STATIC);
	if (rc == SQLITE_OK)
		sqlite3_step(stmt);
	sqlite3_finalize(stmt);
	free(p);
}

/* --- filling the lines --------------------------------------------------- */

/* A commit that introduced a line, with its author as written. */
struct cand {
	git_oid		 oid;
	char		*name;
	char		*email;
	int64_t		 at;
};

struct cands {
	struct cand	*v;
	size_t		 n, cap;
};

static void
cands_add(struct cands *cs, const git_oid *oid, const char *name,
    const char *email, int64_t at)
{
	size_t	 i;

	for (i = 0; i < cs->n; i++)
		if (git_oid_equal(&cs->v[i].oid, oid))
			return;
	if (cs->n == cs->cap) {
		cs->cap = cs->cap == 0 ? 4 : cs->cap * 2;
		cs->v = xreallocarray(cs->v, cs->cap, sizeof *cs->v);
	}
	git_oid_cpy(&cs->v[cs->n].oid, oid);
	cs->v[cs->n].name = xstrdup(name != NULL ? name : "");
	cs->v[cs->n].email = xstrdup(email != NULL ? email : "");
	cs->v[cs->n].at = at;
	cs->n++;
}

static void
cands_clear(struct cands *cs)
{
	size_t	 i;

	for (i = 0; i < cs->n; i++) {
		free(cs->v[i].name);
		free(cs->v[i].email);
	}
	cs->n = 0;
}

struct fill {
	struct walk	*w;
	git_commit	*head;
	git_mailmap	*mailmap;	/* NULL: none could be read */
	const char	*id;
	const struct refset *committed;	/* HEAD's lines; NULL: unknown */
	git_oid		 head_blob;
	/* The walk's introductions for this incident, by ref. */
	const struct intro **mine;
	size_t		 nmine;
	/* The cache's introductions of this incident, by ref. */
	struct cand	*rows;
	uint64_t	*row_refs;
	size_t		 nrows;
	struct cache	*cache;
	struct cands	 cs;
};

static int
intro_ptr_cmp(const void *a, const void *b)
{
	const struct intro	*x = *(const struct intro *const *)a;
	const struct intro	*y = *(const struct intro *const *)b;

	return x->ref < y->ref ? -1 : x->ref > y->ref;
}

/* The candidates of ref, from the walk and the cache's rows. */
static void
gather(struct fill *f, uint64_t ref)
{
	const struct wcommit	*wc;
	const struct cand	*c;
	size_t			 lo = 0, hi = f->nmine, mid;

	cands_clear(&f->cs);
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (f->mine[mid]->ref < ref)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < f->nmine && f->mine[lo]->ref == ref; lo++) {
		wc = &f->w->commits[f->mine[lo]->commit];
		cands_add(&f->cs, &wc->oid, wc->name, wc->email, wc->at);
	}
	lo = 0;
	hi = f->nrows;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (f->row_refs[mid] < ref)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < f->nrows && f->row_refs[lo] == ref; lo++) {
		c = &f->rows[lo];
		cands_add(&f->cs, &c->oid, c->name, c->email, c->at);
	}
}

/* Every introduction the cache holds for incident id, in order of ref,
 * read at once (one statement, not one a line). An sqlite code. */
static int
load_rows(struct fill *f, sqlite3 *db)
{
	sqlite3_stmt	*stmt = NULL;
	struct cand	*c;
	const char	*name, *email;
	size_t		 cap = 0;
	int		 rc;

	rc = sqlite3_prepare_v2(db, "SELECT ref, commit_id, author, email, at"
	    " FROM intro WHERE incident = ?1 ORDER BY ref", -1, &stmt, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(stmt, 1, f->id, -1, SQLITE_STATIC);
	while (rc == SQLITE_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		rc = SQLITE_OK;
		if (sqlite3_column_bytes(stmt, 1) != GIT_OID_RAWSZ)
			continue;
		if (f->nrows == cap) {
			cap = cap == 0 ? 256 : cap * 2;
			f->rows = xreallocarray(f->rows, cap, sizeof *f->rows);
			f->row_refs = xreallocarray(f->row_refs, cap,
			    sizeof *f->row_refs);
		}
		c = &f->rows[f->nrows];
		f->row_refs[f->nrows] = (uint64_t)sqlite3_column_int64(stmt, 0);
		git_oid_fromraw(&c->oid, sqlite3_column_blob(stmt, 1));
		name = (const char *)sqlite3_column_text(stmt, 2);
		email = (const char *)sqlite3_column_text(stmt, 3);
		c->name = xstrdup(name != NULL ? name : "");
		c->email = xstrdup(email != NULL ? email : "");
		c->at = (int64_t)sqlite3_column_int64(stmt, 4);
		f->nrows++;
	}
	sqlite3_finalize(stmt);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/*
 * Several commits introduced ref, by different authors: follow it from
 * HEAD as git blame does, to a parent with the same blob, else to the
 * first parent that has the line, until a commit introduced it. *out is
 * the index in f->cs, or a new candidate appended. 0 or -1.
 */
static int
follow(size_t *out, struct fill *f, uint64_t ref)
{
	const struct refset	*rs;
	const git_signature	*a;
	git_commit		*x, *p, *next;
	git_oid			 blob, pblob, nblob;
	size_t			 i, n;
	int			 r, budget, ret = -1;

	if (git_commit_dup(&x, f->head) < 0)
		return pm_error_git("cannot read HEAD");
	git_oid_cpy(&blob, &f->head_blob);
	for (;;) {
		for (i = 0; i < f->cs.n; i++)
			if (git_oid_equal(&f->cs.v[i].oid, git_commit_id(x))) {
				*out = i;
				ret = 0;
				goto out;
			}
		next = NULL;
		n = git_commit_parentcount(x);
		for (i = 0; i < n && next == NULL; i++) {
			if (git_commit_parent(&p, x, (unsigned)i) < 0)
				continue;
			if ((r = commit_timeline(&pblob, f->w, p, f->id)) < 0) {
				git_commit_free(p);
				goto out;
			}
			if (r == 1 && git_oid_equal(&pblob, &blob)) {
				next = p;
				git_oid_cpy(&nblob, &pblob);
			} else
				git_commit_free(p);
		}
		for (i = 0; i < n && next == NULL; i++) {
			if (git_commit_parent(&p, x, (unsigned)i) < 0)
				continue;
			budget = UNPARSED_BUDGET;
			r = commit_timeline(&pblob, f->w, p, f->id);
			rs = NULL;
			if (r == 1)
				r = lines_at(&rs, f->w, p, f->id, &pblob,
				    &budget);
			if (r < 0) {
				git_commit_free(p);
				goto out;
			}
			if (refset_has(rs, ref)) {
				next = p;
				git_oid_cpy(&nblob, &pblob);
			} else
				git_commit_free(p);
		}
		if (next == NULL)
			break;		/* x introduced it */
		git_commit_free(x);
		x = next;
		git_oid_cpy(&blob, &nblob);
	}
	a = git_commit_author(x);
	cands_add(&f->cs, git_commit_id(x), a != NULL ? a->name : "",
	    a != NULL ? a->email : "", a != NULL ? (int64_t)a->when.time : 0);
	*out = f->cs.n - 1;
	ret = 0;
out:
	git_commit_free(x);
	return ret;
}

/* Fill one line: 0, or -1 with the error set. */
static int
fill_line(struct fill *f, struct event *ev)
{
	const char	*name, *email;
	struct cand	*c;
	size_t		 i, pick = 0;
	uint64_t	 ref;

	free(ev->logged_by);
	ev->logged_by = NULL;
	ev->logged_at = 0;
	if (ev->ref[0] == '\0')
		return 0;
	ref = ref_value(ev->ref);
	if (f->committed != NULL && !refset_has(f->committed, ref))
		return 0;	/* not in HEAD's version */
	gather(f, ref);
	if (f->cs.n == 0)
		return 0;
	for (i = 1; i < f->cs.n; i++) {
		c = &f->cs.v[i];
		if (c->at != f->cs.v[0].at || strcmp(c->name,
		    f->cs.v[0].name) != 0 || strcmp(c->email,
		    f->cs.v[0].email) != 0)
			break;
	}
	if (i < f->cs.n && follow(&pick, f, ref) < 0)
		return -1;
	c = &f->cs.v[pick];
	name = c->name;
	email = c->email;
	if (f->mailmap != NULL && git_mailmap_resolve(&name, &email,
	    f->mailmap, c->name, c->email) < 0) {
		name = c->name;
		email = c->email;
	}
	ev->logged_by = xstrdup(name);
	ev->logged_at = c->at;
	return 0;
}

static void
clear_lines(struct incident *inc)
{
	size_t	 i;

	for (i = 0; i < inc->nevents; i++) {
		free(inc->events[i].logged_by);
		inc->events[i].logged_by = NULL;
		inc->events[i].logged_at = 0;
	}
	for (i = 0; i < inc->nretracted; i++) {
		free(inc->retracted[i].logged_by);
		inc->retracted[i].logged_by = NULL;
		inc->retracted[i].logged_at = 0;
	}
	for (i = 0; i < inc->ncorrections; i++) {
		free(inc->corrections[i].line.logged_by);
		inc->corrections[i].line.logged_by = NULL;
		inc->corrections[i].line.logged_at = 0;
	}
}

/* Fill every line of inc from the walk and the cache (NULL: none). 0, 1
 * the cache failed (lines cleared), -1 error. */
static int
fill_lines(struct walk *w, struct cache *cache, git_commit *head,
    struct incident *inc)
{
	struct fill		 f;
	struct blob_slot	*slot;
	struct refset		*rs;
	char			*path;
	size_t			 i;
	int			 r = 0;

	memset(&f, 0, sizeof f);
	f.w = w;
	f.head = head;
	f.id = inc->id;
	f.cache = cache;
	if ((r = commit_timeline(&f.head_blob, w, head, inc->id)) <= 0)
		return r;	/* nothing committed: every line NULL */
	r = 0;
	slot = NULL;
	if (cache != NULL && blob_cache_find(&w->bc, &f.head_blob) == NULL &&
	    (rs = cache_head_lines(cache, inc->id, &f.head_blob)) != NULL)
		slot = blob_slot_parse(w, &f.head_blob, NULL, 0, rs, 0);
	if (slot == NULL) {
		path = w->root == NULL ? NULL : xasprintf("%s/%s/%s/%s",
		    w->root, STORE_INCIDENTS, inc->id, STORE_TIMELINE);
		slot = blob_refs_worktree(w, &f.head_blob, path);
		free(path);
		if (slot == NULL)
			return -1;
		if (cache != NULL && slot->parsed)
			cache_keep_head_lines(cache, inc->id, &f.head_blob,
			    slot->rs);
	}
	/* HEAD's version does not parse: every line may be committed. */
	f.committed = slot->parsed ? slot->rs : NULL;
	f.mine = xcalloc(w->nintros + 1, sizeof *f.mine);
	for (i = 0; i < w->nintros; i++)
		if (strcmp(w->intros[i].id, inc->id) == 0)
			f.mine[f.nmine++] = &w->intros[i];
	qsort(f.mine, f.nmine, sizeof *f.mine, intro_ptr_cmp);
	if (cache != NULL && (cache->rc = load_rows(&f, cache->db)) !=
	    SQLITE_OK)
		r = 1;
	if (git_mailmap_from_repository(&f.mailmap, w->repo) < 0)
		f.mailmap = NULL;
	/* The cache of blobs is not emptied while f.committed is held. */
	for (i = 0; r == 0 && i < inc->nevents; i++)
		r = fill_line(&f, &inc->events[i]);
	for (i = 0; r == 0 && i < inc->nretracted; i++)
		r = fill_line(&f, &inc->retracted[i]);
	for (i = 0; r == 0 && i < inc->ncorrections; i++)
		r = fill_line(&f, &inc->corrections[i].line);
	if (r != 0)
		clear_lines(inc);
	for (i = 0; i < f.nrows; i++) {
		free(f.rows[i].name);
		free(f.rows[i].email);
	}
	free(f.rows);
	free(f.row_refs);
	git_mailmap_free(f.mailmap);
	cands_clear(&f.cs);
	free(f.cs.v);
	free(f.mine);
	return r;
}

/* --- attrib_fill --------------------------------------------------------- */

/* With the cache: bring it up to head, then fill. 0, 1 the cache failed
 * (cache->rc), -1 error. */
static int
fill_cached(struct store *st, struct cache *cache, git_commit *head,
    struct incident *inc, struct attrib_stats *stats)
{
	struct walk	 w;
	git_commit	*wc = NULL;
	git_oid		 mark;
	char		 base[GIT_OID_HEXSZ + 1], hex[GIT_OID_HEXSZ + 1];
	int		 r, rc, hide = 0;

	if ((cache->rc = cache_watermark(cache, base)) != SQLITE_OK)
		return 1;
	git_oid_tostr(hex, sizeof hex, git_commit_id(head));
	walk_init(&w, st, stats);
	stats->cached = 1;
	r = 0;
	if (strcmp(base, hex) != 0) {
		/* The watermark's commit may be gone (history rewritten and
		 * pruned): then the whole history, and the old rows go. */
		if (*base != '\0' && git_oid_fromstr(&mark, base) == 0 &&
		    git_commit_lookup(&wc, w.repo, &mark) == 0)
			hide = 1;
		git_commit_free(wc);
		r = walk_run(&w, git_commit_id(head), hide ? &mark : NULL);
		if (r < 0 && hide) {
			/* The watermark's commit still in libgit2's object
			 * cache, or its ancestors pruned: start over. */
			walk_free(&w);
			walk_init(&w, st, stats);
			stats->walked = stats->parsed = stats->recorded = 0;
			hide = 0;
			r = walk_run(&w, git_commit_id(head), NULL);
		}
		stats->full = !hide;
		if (r == 0) {
			rc = cache_store(cache, &w, base, hex, !hide &&
			    *base != '\0');
			/* Not stored (busy, read-only): the walk still
			 * holds what the cache lacks. Damage: start over. */
			if (is_corrupt(rc)) {
				cache->rc = rc;
				r = 1;
			}
		}
	}
	if (r == 0)
		r = fill_lines(&w, cache, head, inc);
	walk_free(&w);
	return r;
}

/* Without a cache: the whole history, this incident only. */
static int
fill_uncached(struct store *st, git_commit *head, struct incident *inc,
    struct attrib_stats *stats)
{
	struct walk	 w;
	int		 r;

	walk_init(&w, st, stats);
	w.only_id = inc->id;
	stats->cached = 0;
	stats->full = 1;
	r = walk_run(&w, git_commit_id(head), NULL);
	if (r == 0)
		r = fill_lines(&w, NULL, head, inc);
	walk_free(&w);
	return r < 0 ? -1 : 0;
}

int
attrib_fill(struct store *st, struct incident *inc)
{
	struct attrib_stats	 stats;
	struct cache		 cache;
	git_commit		*head = NULL;
	git_oid			 oid;
	int			 r, rebuilt = 0;

	memset(&stats, 0, sizeof stats);
	memset(&cache, 0, sizeof cache);
	clear_lines(inc);
	if (inc->id == NULL) {
		last_stats = stats;
		return pm_error_set("attribution: the incident has no id");
	}
	r = git_reference_name_to_id(&oid, store_repository(st), "HEAD");
	if (r == GIT_ENOTFOUND || r == GIT_EUNBORNBRANCH) {
		last_stats = stats;
		return 0;	/* no commit yet: nothing is committed */
	}
	if (r < 0 || git_commit_lookup(&head, store_repository(st),
	    &oid) < 0) {
		last_stats = stats;
		return pm_error_git("cannot read HEAD");
	}
	cache.path = xasprintf("%s%s/%s", store_gitdir(st), ATTRIB_DIR,
	    ATTRIB_FILE);
	r = 1;
	if (cache_open(&cache, &rebuilt) == 0) {
		r = fill_cached(st, &cache, head, inc, &stats);
		if (r == 1 && is_corrupt(cache.rc)) {
			/* Damage open() did not see: make it anew, once. */
			cache_close(&cache);
			memset(&stats, 0, sizeof stats);
			rebuilt = 1;
			r = cache_remove(&cache) == 0 &&
			    cache_open_once(&cache, 1) == 0 ?
			    fill_cached(st, &cache, head, inc, &stats) : 1;
		}
		cache_close(&cache);
	}
	if (r == 1) {
		memset(&stats, 0, sizeof stats);
		r = fill_uncached(st, head, inc, &stats);
	}
	stats.rebuilt = rebuilt;
	last_stats = stats;
	git_commit_free(head);
	free(cache.path);
	return r;
}

void
attrib_last_stats(struct attrib_stats *out)
{
	*out = last_stats;
}
