/*
 * sync.c - pmtool clone and pmtool sync, with libgit2.
 *
 * A sync is fetch, merge, push. The merge is pmtool's own wherever both
 * sides changed an incident: timelines and action files through
 * core/merge3.c (every event kept, header fields by a stated rule), any
 * other incident file that git cannot merge kept as ours with the
 * remote's copy beside it. A file outside incidents/ that both sides
 * changed and git cannot merge stops the sync before anything changes.
 * The merged tree is checked out (safely: the user's unrelated changes
 * stay) and only then does the branch move.
 */
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <git2.h>

#include "error.h"
#include "incfile.h"
#include "incident.h"
#include "merge3.h"
#include "store.h"
#include "sync.h"
#include "xmalloc.h"

#define TIMELINE_SUFFIX	"/timeline.txt"
#define ACTIONS_SUFFIX	"/actions.txt"

void
sync_result_free(struct sync_result *r)
{
	free(r->remote);
	free(r->branch);
	merge_notes_free(&r->notes);
	memset(r, 0, sizeof *r);
}

/* --- credentials ------------------------------------------------------- */

/* Each way is tried once per operation, so a wrong key cannot loop. */
struct creds {
	int	 tried_agent;
	int	 next_key;
	int	 tried_helper;
	int	 asked;		/* some credential was offered */
};

/* "git credential fill" for url: the user's credential helpers, as git
 * itself would use them. Run without a shell. */
static int
credential_fill(const char *url, char **user, char **pass)
{
	int	 in[2], out[2], status;
	pid_t	 pid;
	FILE	*w, *r;
	char	 line[1024];

	*user = *pass = NULL;
	if (pipe(in) == -1)
		return -1;
	if (pipe(out) == -1) {
		close(in[0]);
		close(in[1]);
		return -1;
	}
	if ((pid = fork()) == -1) {
		close(in[0]); close(in[1]); close(out[0]); close(out[1]);
		return -1;
	}
	if (pid == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		close(in[0]); close(in[1]); close(out[0]); close(out[1]);
		execlp("git", "git", "credential", "fill", (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	if ((w = fdopen(in[1], "w")) != NULL) {
		fprintf(w, "url=%s\n\n", url);
		fclose(w);
	} else
		close(in[1]);
	if ((r = fdopen(out[0], "r")) != NULL) {
		while (fgets(line, sizeof line, r) != NULL) {
			line[strcspn(line, "\n")] = '\0';
			if (strncmp(line, "username=", 9) == 0 && *user == NULL)
				*user = xstrdup(line + 9);
			else if (strncmp(line, "password=", 9) == 0 &&
			    *pass == NULL)
				*pass = xstrdup(line + 9);
		}
		fclose(r);
	} else
		close(out[0]);
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
	if (*user == NULL || *pass == NULL || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0) {
		free(*user);
		free(*pass);
		*user = *pass = NULL;
		return -1;
	}
	return 0;
}

static int
credentials(git_credential **out, const char *url, const char *url_user,
    unsigned int allowed, void *payload)
{
	static const char *const keys[] = { "id_ed25519", "id_ecdsa", "id_rsa" };
	struct creds	*c = payload;
	const char	*user = url_user != NULL ? url_user : "git";
	const char	*home = getenv("HOME");
	char		*key, *pub, *u, *p;
	int		 rc;

	if (allowed & GIT_CREDENTIAL_SSH_KEY) {
		if (!c->tried_agent) {
			c->tried_agent = 1;
			c->asked = 1;
			if (git_credential_ssh_key_from_agent(out, user) == 0)
				return 0;
		}
		while (home != NULL && c->next_key < 3) {
			key = xasprintf("%s/.ssh/%s", home, keys[c->next_key++]);
			pub = xasprintf("%s.pub", key);
			if (access(key, R_OK) == 0) {
				c->asked = 1;
				rc = git_credential_ssh_key_new(out, user,
				    access(pub, R_OK) == 0 ? pub : NULL, key, NULL);
				free(key);
				free(pub);
				return rc;
			}
			free(key);
			free(pub);
		}
	}
	if ((allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT) && !c->tried_helper) {
		c->tried_helper = 1;
		if (credential_fill(url, &u, &p) == 0) {
			c->asked = 1;
			rc = git_credential_userpass_plaintext_new(out, u, p);
			free(u);
			free(p);
			return rc;
		}
	}
	if (allowed & GIT_CREDENTIAL_USERNAME)
		return git_credential_username_new(out, user);
	return GIT_PASSTHROUGH;
}

/* A fetch or push error in words a user can act on. */
static int
net_error(const char *what, const char *url, int rc, const struct creds *c)
{
	const git_error	*e = git_error_last();

	if (rc == GIT_EAUTH || (c->asked && e != NULL && (e->klass ==
	    GIT_ERROR_SSH || e->klass == GIT_ERROR_HTTP) &&
	    strstr(e->message, "auth") != NULL))
		return pm_error_set("%s %s: authentication failed (tried "
		    "ssh-agent, ~/.ssh keys and git's credential helpers)%s%s",
		    what, url, e != NULL ? ": " : "", e != NULL ? e->message :
		    "");
	return pm_error_git("%s %s", what, url);
}

/* --- clone ----------------------------------------------------------- */

static int
rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *f)
{
	(void)sb;
	(void)flag;
	(void)f;
	return remove(path);
}

int
sync_clone(const char *url, const char *dir)
{
	git_clone_options	 co;
	git_repository		*repo = NULL;
	struct creds		 c;
	struct stat		 sb;
	char			*marker;
	int			 rc, existed;

	git_clone_options_init(&co, GIT_CLONE_OPTIONS_VERSION);
	memset(&c, 0, sizeof c);
	existed = lstat(dir, &sb) == 0;
	co.fetch_opts.callbacks.credentials = credentials;
	co.fetch_opts.callbacks.payload = &c;
	if ((rc = git_clone(&repo, url, dir, &co)) < 0)
		return net_error("cannot clone", url, rc, &c);
	marker = xasprintf("%s/%s", dir, STORE_MARKER);
	rc = lstat(marker, &sb) == 0 && S_ISREG(sb.st_mode) ? 0 : -1;
	free(marker);
	git_repository_free(repo);
	if (rc < 0) {
		/* Not ours to keep: leave no half-store behind. */
		if (!existed)
			nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
		return pm_error_set("%s is not a pmtool store (it has no %s at "
		    "its top); nothing was cloned", url, STORE_MARKER);
	}
	return 0;
}

/* --- the parts of a sync --------------------------------------------- */

/* creds comes first: libgit2 hands its callbacks one payload, and a
 * pointer to the syncer is a pointer to its creds too. */
struct syncer {
	struct creds	 creds;
	struct store	*st;
	git_repository	*repo;
	git_remote	*remote;
	char		*local_ref;	/* "refs/heads/main" */
	char		*remote_ref;	/* "refs/remotes/origin/main" */
	struct sync_result *res;
	int		 push_refused;
	char		*push_message;
};

static int
fetch(struct syncer *s)
{
	git_fetch_options	 fo;
	int			 rc;

	git_fetch_options_init(&fo, GIT_FETCH_OPTIONS_VERSION);
	memset(&s->creds, 0, sizeof s->creds);
	fo.callbacks.credentials = credentials;
	fo.callbacks.payload = s;
	if ((rc = git_remote_fetch(s->remote, NULL, &fo, "pmtool sync: "
	    "fetch")) < 0)
		return net_error("cannot fetch from", git_remote_url(s->remote),
		    rc, &s->creds);
	return 0;
}

/* The text of path in tree, "" when it is not there. */
static char *
blob_text(git_repository *repo, git_tree *tree, const char *path)
{
	git_tree_entry	*te = NULL;
	git_blob	*blob = NULL;
	char		*s;

	if (tree == NULL || git_tree_entry_bypath(&te, tree, path) < 0 ||
	    git_blob_lookup(&blob, repo, git_tree_entry_id(te)) < 0) {
		git_tree_entry_free(te);
		return xstrdup("");
	}
	s = xstrndup(git_blob_rawcontent(blob),
	    (size_t)git_blob_rawsize(blob));
	git_blob_free(blob);
	git_tree_entry_free(te);
	return s;
}

struct paths {
	char	**v;
	size_t	 n;
};

static int
add_path(const git_diff_delta *d, float progress, void *payload)
{
	struct paths	*p = payload;

	(void)progress;
	p->v = xreallocarray(p->v, p->n + 1, sizeof *p->v);
	p->v[p->n++] = xstrdup(d->new_file.path != NULL ? d->new_file.path :
	    d->old_file.path);
	return 0;
}

static void
paths_free(struct paths *p)
{
	size_t	 i;

	for (i = 0; i < p->n; i++)
		free(p->v[i]);
	free(p->v);
	memset(p, 0, sizeof *p);
}

static int
has_path(const struct paths *p, const char *path)
{
	size_t	 i;

	for (i = 0; i < p->n; i++)
		if (strcmp(p->v[i], path) == 0)
			return 1;
	return 0;
}

/* The paths that differ between trees a and b. */
static int
changed(struct paths *out, git_repository *repo, git_tree *a, git_tree *b)
{
	git_diff	*diff = NULL;
	int		 rc;

	memset(out, 0, sizeof *out);
	if (git_diff_tree_to_tree(&diff, repo, a, b, NULL) < 0)
		return pm_error_git("cannot compare trees");
	rc = git_diff_foreach(diff, add_path, NULL, NULL, NULL, out);
	git_diff_free(diff);
	return rc < 0 ? pm_error_git("cannot compare trees") : 0;
}

static int
ends_with(const char *s, const char *suffix)
{
	size_t	 n = strlen(s), k = strlen(suffix);

	return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* Put text at path (stage 0) in the merge index, replacing a conflict. */
static int
index_put(git_index *mi, git_repository *repo, const char *path,
    const char *text, size_t len)
{
	git_index_entry	 e;

	memset(&e, 0, sizeof e);
	e.mode = GIT_FILEMODE_BLOB;
	e.path = path;
	if (git_blob_create_from_buffer(&e.id, repo, text, len) < 0)
		return pm_error_git("cannot store the merge of %s", path);
	git_index_conflict_remove(mi, path);
	if (git_index_add(mi, &e) < 0)
		return pm_error_git("cannot record the merge of %s", path);
	return 0;
}

/* "postmortem.md" -> "postmortem.remote.md", "notes" -> "notes.remote". */
static char *
remote_copy_name(const char *path)
{
	const char	*slash = strrchr(path, '/'), *dot;

	dot = strrchr(slash != NULL ? slash : path, '.');
	if (dot == NULL || dot == slash + 1)
		return xasprintf("%s.remote", path);
	return xasprintf("%.*s.remote%s", (int)(dot - path), path, dot);
}

/* A merged timeline must read, or the sync stops. */
static int
check_timeline(const char *path, const char *text)
{
	struct incident	*inc;

	if (incfile_parse(&inc, path, text, strlen(text)) < 0)
		return pm_error_set("cannot merge %s: the result does not "
		    "read: %s", path, pm_error_last());
	incident_free(inc);
	return 0;
}

/* One incident file both sides changed: merged by pmtool's rules. */
static int
merge_one(struct syncer *s, git_index *mi, git_tree *base, git_tree *ours,
    git_tree *theirs, const char *path)
{
	const git_index_entry *anc, *our, *their;
	char	*b, *o, *t, *m = NULL, *copy;
	int	 rc = 0;

	if (strncmp(path, STORE_INCIDENTS "/", strlen(STORE_INCIDENTS) + 1) !=
	    0)
		return 0;	/* not pmtool's: git's merge stands */
	b = blob_text(s->repo, base, path);
	o = blob_text(s->repo, ours, path);
	t = blob_text(s->repo, theirs, path);
	if (ends_with(path, TIMELINE_SUFFIX)) {
		merge_timeline(&m, &s->res->notes, path, b, o, t);
		if ((rc = check_timeline(path, m)) == 0)
			rc = index_put(mi, s->repo, path, m, strlen(m));
	} else if (ends_with(path, ACTIONS_SUFFIX)) {
		merge_records(&m, b, o, t);
		rc = index_put(mi, s->repo, path, m, strlen(m));
	} else if (git_index_conflict_get(&anc, &our, &their, mi, path) == 0) {
		/* git could not merge it: ours stays, theirs beside it. */
		copy = remote_copy_name(path);
		rc = index_put(mi, s->repo, path, o, strlen(o));
		if (rc == 0 && *t != '\0')
			rc = index_put(mi, s->repo, copy, t, strlen(t));
		if (rc == 0) {
			struct merge_notes *n = &s->res->notes;

			n->v = xreallocarray(n->v, n->n + 1, sizeof *n->v);
			n->v[n->n++] = xasprintf("%s: changed on both sides in "
			    "the same place: yours kept, the remote's saved as "
			    "%s; merge them by hand and remove it", path, copy);
		}
		free(copy);
	}
	free(b);
	free(o);
	free(t);
	free(m);
	return rc;
}

/* The first conflict left in the merge index: one pmtool does not merge. */
static int
leftover_conflict(git_index *mi)
{
	git_index_conflict_iterator *it = NULL;
	const git_index_entry *anc, *our, *their;
	const char	*path = "?";
	int		 rc;

	if (!git_index_has_conflicts(mi))
		return 0;
	if (git_index_conflict_iterator_new(&it, mi) == 0 &&
	    git_index_conflict_next(&anc, &our, &their, it) == 0)
		path = our != NULL ? our->path : their != NULL ? their->path :
		    anc->path;
	rc = pm_error_set("%s changed on both sides and is not a file pmtool "
	    "merges: merge it with git, then sync again; nothing was changed",
	    path);
	git_index_conflict_iterator_free(it);
	return rc;
}

/* Make the merge commit of ours and theirs. */
static int
merge_commit(struct syncer *s, git_oid *out, git_commit *ours,
    git_commit *theirs, const git_oid *base_oid)
{
	git_merge_options	 mo;
	git_index		*mi = NULL;
	git_commit		*base = NULL;
	git_tree		*bt = NULL, *ot = NULL, *tt = NULL, *tree = NULL;
	git_signature		*author = NULL, *committer = NULL;
	const git_commit	*parents[2];
	struct paths		 po, pt;
	struct buf		 msg = BUF_INIT;
	git_oid			 tree_oid;
	size_t			 i;
	int			 rc = -1;

	git_merge_options_init(&mo, GIT_MERGE_OPTIONS_VERSION);
	memset(&po, 0, sizeof po);
	memset(&pt, 0, sizeof pt);
	if (git_commit_lookup(&base, s->repo, base_oid) < 0 ||
	    git_commit_tree(&bt, base) < 0 || git_commit_tree(&ot, ours) < 0 ||
	    git_commit_tree(&tt, theirs) < 0) {
		pm_error_git("cannot read the commits to merge");
		goto out;
	}
	if (git_merge_commits(&mi, s->repo, ours, theirs, &mo) < 0) {
		pm_error_git("cannot merge");
		goto out;
	}
	if (changed(&po, s->repo, bt, ot) < 0 ||
	    changed(&pt, s->repo, bt, tt) < 0)
		goto out;
	for (i = 0; i < po.n; i++)
		if (has_path(&pt, po.v[i]) &&
		    merge_one(s, mi, bt, ot, tt, po.v[i]) < 0)
			goto out;
	if (leftover_conflict(mi) < 0)
		goto out;
	if (git_index_write_tree_to(&tree_oid, mi, s->repo) < 0 ||
	    git_tree_lookup(&tree, s->repo, &tree_oid) < 0) {
		pm_error_git("cannot write the merged tree");
		goto out;
	}
	if (store_signature(&author, s->st, "AUTHOR") < 0 ||
	    store_signature(&committer, s->st, "COMMITTER") < 0)
		goto out;
	buf_printf(&msg, "pmtool sync: merge %s/%s\n", s->res->remote,
	    s->res->branch);
	if (s->res->notes.n > 0)
		buf_adds(&msg, "\n");
	for (i = 0; i < s->res->notes.n; i++)
		buf_printf(&msg, "%s\n", s->res->notes.v[i]);
	parents[0] = ours;
	parents[1] = theirs;
	if (git_commit_create(out, s->repo, NULL, author, committer, NULL,
	    buf_str(&msg), tree, 2, parents) < 0) {
		pm_error_git("cannot make the merge commit");
		goto out;
	}
	rc = 0;
out:
	buf_free(&msg);
	paths_free(&po);
	paths_free(&pt);
	git_signature_free(author);
	git_signature_free(committer);
	git_tree_free(tree);
	git_tree_free(bt);
	git_tree_free(ot);
	git_tree_free(tt);
	git_commit_free(base);
	git_index_free(mi);
	return rc;
}

/* Check out commit's tree over ours, then move the branch to it. */
static int
move_to(struct syncer *s, const git_oid *from, const git_oid *to,
    const char *why)
{
	git_checkout_options	 co;
	git_commit		*c = NULL;
	git_tree		*tree = NULL;
	git_reference		*ref = NULL;
	int			 rc;

	git_checkout_options_init(&co, GIT_CHECKOUT_OPTIONS_VERSION);
	/* Safe: a file the user changed is never overwritten; if one is
	 * in the way, the checkout stops and the branch stays. */
	co.checkout_strategy = GIT_CHECKOUT_SAFE;
	if (git_commit_lookup(&c, s->repo, to) < 0 ||
	    git_commit_tree(&tree, c) < 0) {
		git_commit_free(c);
		return pm_error_git("cannot read the merged commit");
	}
	rc = git_checkout_tree(s->repo, (git_object *)tree, &co);
	git_tree_free(tree);
	git_commit_free(c);
	if (rc < 0)
		return pm_error_git("cannot update the work tree (a file "
		    "changed here and on the remote? commit or undo it); the "
		    "branch was not moved");
	rc = git_reference_create_matching(&ref, s->repo, s->local_ref, to, 1,
	    from, why);
	git_reference_free(ref);
	if (rc < 0)
		return pm_error_git("cannot move %s", s->local_ref);
	return 0;
}

/* Bring the remote's commits into the branch: nothing, a fast-forward,
 * or a merge commit. */
static int
integrate(struct syncer *s)
{
	git_reference	*rref = NULL, *lref = NULL;
	git_commit	*ours = NULL, *theirs = NULL;
	git_oid		 o, t, base, merged;
	int		 rc = -1;

	if (git_reference_lookup(&rref, s->repo, s->remote_ref) < 0)
		return 0;	/* the remote has no such branch yet */
	t = *git_reference_target(rref);
	git_reference_free(rref);
	if (git_reference_lookup(&lref, s->repo, s->local_ref) < 0)
		return pm_error_git("cannot read %s", s->local_ref);
	o = *git_reference_target(lref);
	git_reference_free(lref);
	if (git_oid_equal(&o, &t))
		return 0;
	if (git_merge_base(&base, s->repo, &o, &t) < 0)
		return pm_error_git("the remote's %s has no history in common "
		    "with this store", s->res->branch);
	if (git_oid_equal(&base, &t))
		return 0;		/* ours already has theirs */
	s->res->fetched = 1;
	if (git_oid_equal(&base, &o)) {
		if (move_to(s, &o, &t, "pmtool sync: fast-forward") < 0)
			return -1;
		s->res->fast_forward = 1;
		return 0;
	}
	if (git_commit_lookup(&ours, s->repo, &o) < 0 ||
	    git_commit_lookup(&theirs, s->repo, &t) < 0) {
		pm_error_git("cannot read the commits to merge");
		goto out;
	}
	if (merge_commit(s, &merged, ours, theirs, &base) < 0 ||
	    move_to(s, &o, &merged, "pmtool sync: merge") < 0)
		goto out;
	s->res->merged = 1;
	rc = 0;
out:
	git_commit_free(ours);
	git_commit_free(theirs);
	return rc;
}

static int
push_ref(const char *refname, const char *status, void *payload)
{
	struct syncer	*s = payload;

	(void)refname;
	if (status != NULL) {
		s->push_refused = 1;
		free(s->push_message);
		s->push_message = xstrdup(status);
	}
	return 0;
}

/* 0 pushed, 1 refused because the remote moved on, -1 an error. */
static int
push(struct syncer *s)
{
	git_push_options po;
	git_strarray	 specs;
	char		*spec;
	int		 rc;

	git_push_options_init(&po, GIT_PUSH_OPTIONS_VERSION);
	memset(&s->creds, 0, sizeof s->creds);
	s->push_refused = 0;
	po.callbacks.credentials = credentials;
	po.callbacks.push_update_reference = push_ref;
	po.callbacks.payload = s;
	spec = xasprintf("%s:%s", s->local_ref, s->local_ref);
	specs.strings = &spec;
	specs.count = 1;
	rc = git_remote_push(s->remote, &specs, &po);
	free(spec);
	if (rc == GIT_ENONFASTFORWARD || (rc == 0 && s->push_refused))
		return 1;
	if (rc < 0) {
		const git_error *e = git_error_last();

		/* Another push got there first (the remote's ref was
		 * locked or moved): like a refusal, fetch and try again. */
		if (e != NULL && (strstr(e->message, "lock") != NULL ||
		    strstr(e->message, "fast-forward") != NULL ||
		    strstr(e->message, "fastforward") != NULL))
			return 1;
		return net_error("cannot push to", git_remote_url(s->remote),
		    rc, &s->creds);
	}
	return 0;
}

/* The remote to use: given, else the branch's upstream's, else origin. */
static char *
pick_remote(git_repository *repo, const char *local_ref, const char *given)
{
	git_buf	 b = GIT_BUF_INIT;
	char	*name;

	if (given != NULL)
		return xstrdup(given);
	if (git_branch_upstream_remote(&b, repo, local_ref) == 0) {
		name = xstrdup(b.ptr);
		git_buf_dispose(&b);
		return name;
	}
	git_error_clear();
	return xstrdup("origin");
}

/* After a fetch: the remote's branch must be a pmtool store too. */
static int
remote_is_store(struct syncer *s)
{
	git_reference	*ref = NULL;
	git_commit	*c = NULL;
	git_tree	*tree = NULL;
	int		 rc = 0;

	if (git_reference_lookup(&ref, s->repo, s->remote_ref) < 0)
		return 0;	/* empty remote: the push makes it one */
	if (git_commit_lookup(&c, s->repo, git_reference_target(ref)) < 0 ||
	    git_commit_tree(&tree, c) < 0)
		rc = pm_error_git("cannot read %s", s->remote_ref);
	else if (git_tree_entry_byname(tree, STORE_MARKER) == NULL)
		rc = pm_error_set("%s (%s) is not a pmtool store: its %s has "
		    "no %s; nothing was changed", s->res->remote,
		    git_remote_url(s->remote), s->res->branch, STORE_MARKER);
	git_tree_free(tree);
	git_commit_free(c);
	git_reference_free(ref);
	return rc;
}

/* 1 when the remote's branch is where ours is: nothing to push. */
static int
remote_has_ours(struct syncer *s)
{
	git_oid	 l, r;

	if (git_reference_name_to_id(&l, s->repo, s->local_ref) < 0 ||
	    git_reference_name_to_id(&r, s->repo, s->remote_ref) < 0) {
		git_error_clear();
		return 0;
	}
	return git_oid_equal(&l, &r);
}

static int
sync_locked(struct syncer *s)
{
	int	 tries, r;

	if (fetch(s) < 0 || remote_is_store(s) < 0 || integrate(s) < 0)
		return -1;
	if (remote_has_ours(s))
		return 0;
	for (tries = 0; tries < SYNC_PUSH_TRIES; tries++) {
		if ((r = push(s)) <= 0) {
			s->res->pushed = r == 0;
			return r;
		}
		/* The remote moved on since the fetch: take its new
		 * commits in and push again. */
		s->res->retries++;
		if (fetch(s) < 0 || integrate(s) < 0)
			return -1;
	}
	return pm_error_set("the remote kept moving: %d pushes refused%s%s; "
	    "your commits are safe here, sync again", SYNC_PUSH_TRIES,
	    s->push_message != NULL ? ": " : "", s->push_message != NULL ?
	    s->push_message : "");
}

int
sync_store(struct sync_result *out, struct store *st, const char *remote)
{
	struct syncer	 s;
	git_reference	*head = NULL;
	int		 rc = -1;

	memset(out, 0, sizeof *out);
	memset(&s, 0, sizeof s);
	s.st = st;
	s.repo = store_repository(st);
	s.res = out;
	if (git_repository_head(&head, s.repo) < 0)
		return pm_error_git("this store has no commit to sync");
	if (!git_reference_is_branch(head)) {
		git_reference_free(head);
		return pm_error_set("HEAD is not on a branch (a detached "
		    "checkout?): check out a branch, then sync");
	}
	s.local_ref = xstrdup(git_reference_name(head));
	out->branch = xstrdup(git_reference_shorthand(head));
	git_reference_free(head);
	out->remote = pick_remote(s.repo, s.local_ref, remote);
	s.remote_ref = xasprintf("refs/remotes/%s/%s", out->remote,
	    out->branch);
	if (git_remote_lookup(&s.remote, s.repo, out->remote) < 0) {
		pm_error_set("no remote '%s' in this store (git remote add %s "
		    "URL, or pmtool clone URL)", out->remote, out->remote);
		goto out;
	}
	if (store_lock_writers(st) < 0)
		goto out;
	rc = sync_locked(&s);
	store_unlock_writers(st);
out:
	git_remote_free(s.remote);
	free(s.local_ref);
	free(s.remote_ref);
	free(s.push_message);
	return rc;
}
