/*
 * tui.c - pmtool tui: the incident list, one incident with ticking
 * clocks and a live timeline, a postmortem preview, and keys that log
 * events through store_append(), the call 'pmtool log' makes.
 *
 * Views are ops tables on a stack; only the loop draws (wnoutrefresh,
 * then one doupdate). Every way out goes through tui_end(), which calls
 * endwin().
 */
#define _XOPEN_SOURCE_EXTENDED 1
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <curses.h>
#include <errno.h>
#include <locale.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

#include "../cli/cli.h"
#include "attrib.h"
#include "autosync.h"
#include "child.h"
#include "config.h"
#include "error.h"
#include "incfile.h"
#include "incident.h"
#include "index.h"
#include "lint.h"
#include "logjob.h"
#include "metrics.h"
#include "prompt.h"
#include "recjson.h"
#include "render.h"
#include "store.h"
#include "timemark.h"
#include "tstamp.h"
#include "tui.h"
#include "xmalloc.h"
#include "zone.h"

#define TUI_TICK_MS	250
/* A commit that takes longer than this shows a spinner; one that does
 * not is reported at once, without one. */
#define TUI_QUICK_COMMIT_MS 60
#define TUI_SPIN_MS	100
#define TUI_POLL_MS	1000
#define TUI_LIST_POLL_MS 2000	/* the list re-syncs its index this often */
#define TUI_STACK_MAX	4
/* Bracketed paste (xterm's mode 2004): the terminal wraps pasted text in
 * these, which curses hands out as two keys of our own. */
#define PASTE_ON	"\033[?2004h"
#define PASTE_OFF	"\033[?2004l"
#define KEY_PASTE_BEGIN	(KEY_MAX + 1)
#define KEY_PASTE_END	(KEY_MAX + 2)
#define PASTE_MAX	65536	/* bytes kept of one paste */
#define PASTE_IDLE_MS	2000	/* a paste whose end never comes ends */
/* On quit, a running sync gets this long to finish before pmtool exits
 * without it (it goes on by itself: a process of its own). */
#define TUI_SYNC_QUIT_MS 2000

enum {
	PAIR_WARN = 1,		/* yellow: status update due soon */
	PAIR_LATE,		/* red: status update overdue */
	PAIR_TITLE		/* the top bar */
};

struct tui;

/* A view: how it fills the screen and what its keys do. key returns 1
 * when it used the key. */
struct view_ops {
	const char	*name;
	void		(*draw)(struct tui *);
	int		(*key)(struct tui *, int key);
	void		(*close)(struct tui *);
};

struct list_row {
	char		*id;
	char		*title;
	char		*severity;
	int		 open;
	int		 bad;		/* could not be read */
	int64_t		 start;		/* -1: no events */
	int64_t		 last_status;	/* -1: none */
};

/* What the bottom line is doing. */
enum input_mode {
	IN_KEYS,		/* keys go to the view */
	IN_STATE,		/* the status-state picker */
	IN_EDIT,		/* the line editor */
	IN_CONFIRM,		/* a warning about the edited event: y or n */
	IN_COMMAND		/* the ':' prompt */
};

struct tui {
	struct store	*st;
	struct config	 cfg;
	int		 color;
	int		 quit;
	char		 msg[512];	/* the status line */
	int		 msg_err;

	const struct view_ops *stack[TUI_STACK_MAX];
	int		 depth;

	/* list view */
	struct list_row	*rows;
	size_t		 nrows;
	int		 list_sel, list_top;

	/* incident view */
	struct incident	*inc;
	char		*id;
	char		*tl_path;	/* absolute path of its timeline */
	struct timespec	 tl_mtime;
	off_t		 tl_size;
	long long	 next_poll;	/* monotonic ms */
	long long	 next_list_poll;	/* monotonic ms */
	int		 tl_top;
	int		 tl_follow;	/* keep the newest event in sight */

	/* pager (postmortem, help) */
	char		**lines;
	size_t		 nlines;
	int		 pg_top;
	const char	*pg_title;

	/* the bottom line */
	enum input_mode	 mode;
	enum event_kind	 ekind;
	enum status_state estate;
	struct lineedit	 le;
	struct logjob	 job;	/* the event being committed */
	unsigned	 spin;	/* spinner frame */
	int		 confirmed;	/* log despite the warning (y) */
	/* The last event logged here in this incident, which u withdraws. */
	char		 undo_ref[EVENT_REF_LEN + 1];
	char		 undo_what[96];
	/* The ':' command running, as a child process. */
	struct prompt_cmd pcmd;
	struct child	 cmd;

	struct autosync	 sync;	/* sync.interval's background syncs */
};

static const struct view_ops list_ops, incident_ops, pager_ops;

static void	log_done(struct tui *);
static void	undo_last(struct tui *);
static void	paste_mode(int on);
static void	complete_prompt(struct tui *);
static void	edit_line_key(struct tui *, int, int);
static void	draw(struct tui *);
static void	draw(struct tui *);

/* Keys of the incident view that log an event. The help page is made
 * from this table and the event kinds' own help texts. */
static const struct {
	int		 key;
	enum event_kind	 kind;
} event_keys[] = {
	{ 't', EV_STARTED },
	{ 'd', EV_DETECTED },
	{ 'a', EV_ACKNOWLEDGED },
	{ 's', EV_STATUS },
	{ 'x', EV_ACTION },
	{ 'm', EV_MITIGATED },
	{ 'r', EV_RESOLVED },
	{ 'n', EV_NOTE },
	{ 'l', EV_LEADUP },
};

static const struct {
	int		 key;
	enum status_state state;
} state_keys[] = {
	{ 'i', ST_INVESTIGATING },
	{ 'd', ST_IDENTIFIED },
	{ 'm', ST_MONITORING },
	{ 'u', ST_UPDATE },
	{ 'r', ST_RESOLVED },
};

static const char *const help_text[] = {
	"Everywhere",
	"  q            back: pager -> incident -> list -> quit",
	"  ? / :        this help / a pmtool command (:severity SEV1, :new T; Tab)",
	"  Up/Down j/k  move or scroll; PgUp/PgDn a page; g/G first/last",
	"",
	"Incident list",
	"  Enter        open the incident under the cursor",
	"",
	"Incident",
	"  p / e        the rendered postmortem / edit postmortem.md ($EDITOR)",
	"  i / u        the record (refs, who logged what) / undo your last event",
	NULL
};

static const char *const edit_help[] = {
	"",
	"Line editor (after an event key)",
	"  Enter        log the event: one appended line, one commit",
	"  Esc          cancel; nothing is logged",
	"  Left/Right Home/End Backspace Delete  move and delete characters",
	"  Ctrl-U       clear the line;  Ctrl-W  delete the word before",
	"  @TIME first sets the time: '@-5m text', '@14:32 text', '@2026-12-07",
	"  14:32' (the incident's zone), shown resolved as you type; anything",
	"  else is text ('12:00 UTC is when...'); without @ it is now.",
	"  A paste is text, never keys; a warning (future, before started,",
	"  yesterday's HH:MM, a second detected) asks y before it logs.",
	NULL
};

/* --- small helpers --------------------------------------------------- */

static long long
mono_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
set_msg(struct tui *t, int err, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(t->msg, sizeof t->msg, fmt, ap);
	va_end(ap);
	t->msg_err = err;
}

static void
free_lines(struct tui *t)
{
	size_t	 i;

	for (i = 0; i < t->nlines; i++)
		free(t->lines[i]);
	free(t->lines);
	t->lines = NULL;
	t->nlines = 0;
}

static void
add_line(struct tui *t, const char *s, size_t len)
{
	t->lines = xreallocarray(t->lines, t->nlines + 1, sizeof *t->lines);
	t->lines[t->nlines++] = xstrndup(s, len);
}

static void
split_lines(struct tui *t, const char *text)
{
	const char	*nl;

	while (*text != '\0') {
		nl = strchr(text, '\n');
		if (nl == NULL) {
			add_line(t, text, strlen(text));
			break;
		}
		add_line(t, text, (size_t)(nl - text));
		text = nl + 1;
	}
}

/*
 * Draw s at (y, x) in at most maxw columns, stopping at a newline.
 * Multibyte aware: wide characters take two columns; controls and bad
 * bytes show as '?' or a blank. Returns the columns used.
 */
static int
put_text(int y, int x, int maxw, const char *s)
{
	wchar_t		 wbuf[256];
	mbstate_t	 mbs;
	size_t		 n, nw = 0;
	int		 used = 0, w;
	wchar_t		 wc;

	if (maxw <= 0)
		return 0;
	memset(&mbs, 0, sizeof mbs);
	while (*s != '\0' && *s != '\n' && nw < sizeof wbuf / sizeof *wbuf) {
		n = mbrtowc(&wc, s, strlen(s), &mbs);
		if (n == (size_t)-1 || n == (size_t)-2) {
			memset(&mbs, 0, sizeof mbs);
			wc = L'?';
			n = 1;
		}
		if (wc == L'\t')
			wc = L' ';
		w = wcwidth(wc);
		if (w < 0) {
			wc = L'?';
			w = 1;
		}
		if (used + w > maxw)
			break;
		wbuf[nw++] = wc;
		used += w;
		s += n;
	}
	if (nw > 0)
		mvaddnwstr(y, x, wbuf, (int)nw);
	return used;
}

/* Display width of s[0..len). */
static int
text_width(const char *s, size_t len)
{
	mbstate_t	 mbs;
	size_t		 n;
	wchar_t		 wc;
	int		 used = 0, w;

	memset(&mbs, 0, sizeof mbs);
	while (len > 0) {
		n = mbrtowc(&wc, s, len, &mbs);
		if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
			memset(&mbs, 0, sizeof mbs);
			n = 1;
			w = 1;
		} else if ((w = wcwidth(wc)) < 0)
			w = 1;
		used += w;
		s += n;
		len -= n;
	}
	return used;
}

static void
fmt_ago(char *out, size_t size, int64_t now, int64_t then)
{
	if (then < 0) {
		snprintf(out, size, "-");
		return;
	}
	duration_format(out, size, now - then);
}

/* "06-07 01:58" in zone. */
static void
fmt_local(char *out, size_t size, struct tstamp ts, const char *zone)
{
	struct civil	 c;
	int32_t		 off;

	if (zone_offset_at(&off, zone, ts.t, NULL) < 0)
		off = ts.off;
	civil_from_time(&c, ts.t, off);
	snprintf(out, size, "%02d-%02d %02d:%02d", c.mon, c.day, c.hour,
	    c.min);
}

/* The bar on row y: reverse video (or colour) across the width. */
static void
draw_bar(int y, const char *text)
{
	int	 attr = A_REVERSE | A_BOLD;

	attron(attr);
	mvhline(y, 0, ' ', COLS);
	put_text(y, 0, COLS, text);
	attroff(attr);
}

/*
 * The automatic sync's status at (y, x) in attr, in the warning colour
 * when the last sync failed; nothing when syncing is off. The time since
 * is real elapsed time, not PMTOOL_TEST_TIME's "now".
 */
static void
draw_sync(struct tui *t, int y, int x, int attr)
{
	char	 s[AUTOSYNC_ERR_MAX + 64];

	if (autosync_status(&t->sync, s, sizeof s, mono_ms()))
		attr |= A_BOLD | (t->color ? COLOR_PAIR(PAIR_WARN) : 0);
	if (*s == '\0' || x >= COLS)
		return;
	attron(attr);
	put_text(y, x, COLS - x, s);
	attroff(attr);
}

/* --- views: the stack ----------------------------------------------- */

static void
push_view(struct tui *t, const struct view_ops *v)
{
	if (t->depth < TUI_STACK_MAX)
		t->stack[t->depth++] = v;
}

static void
pop_view(struct tui *t)
{
	const struct view_ops	*v;

	if (t->depth == 0) {
		t->quit = 1;
		return;
	}
	v = t->stack[--t->depth];
	if (v->close != NULL)
		v->close(t);
	if (t->depth == 0)
		t->quit = 1;
}

static const struct view_ops *
top_view(struct tui *t)
{
	return t->depth > 0 ? t->stack[t->depth - 1] : NULL;
}

/* Scroll *top for a key in a view of total rows, page rows high. */
static int
scroll_key(int *top, int key, int total, int page)
{
	int	 max = total - page;

	if (max < 0)
		max = 0;
	switch (key) {
	case KEY_UP: case 'k': (*top)--; break;
	case KEY_DOWN: case 'j': (*top)++; break;
	case KEY_PPAGE: *top -= page > 1 ? page - 1 : 1; break;
	case KEY_NPAGE: case ' ': *top += page > 1 ? page - 1 : 1; break;
	case KEY_HOME: case 'g': *top = 0; break;
	case KEY_END: case 'G': *top = max; break;
	default: return 0;
	}
	if (*top > max)
		*top = max;
	if (*top < 0)
		*top = 0;
	return 1;
}

/* --- the incident list ---------------------------------------------- */

static void
free_rows(struct tui *t)
{
	size_t	 i;

	for (i = 0; i < t->nrows; i++) {
		free(t->rows[i].id);
		free(t->rows[i].title);
		free(t->rows[i].severity);
	}
	free(t->rows);
	t->rows = NULL;
	t->nrows = 0;
}

static int
row_cmp(const void *a, const void *b)
{
	const struct list_row	*x = a, *y = b;

	if (x->open != y->open)
		return y->open - x->open;
	if (x->start != y->start)
		return x->start < y->start ? 1 : -1;
	return strcmp(x->id, y->id);
}

/* Rows from the index: room for one more, and the row to fill. */
static struct list_row *
add_row(struct tui *t, size_t *cap)
{
	if (t->nrows == *cap) {
		*cap = *cap == 0 ? 64 : *cap * 2;
		t->rows = xreallocarray(t->rows, *cap + 1, sizeof *t->rows);
	}
	memset(&t->rows[t->nrows], 0, sizeof t->rows[0]);
	return &t->rows[t->nrows++];
}

struct index_fill {
	struct tui	*t;
	size_t		 cap;
};

static int
fill_from_index(void *ctx, const struct index_row *ir)
{
	struct index_fill	*f = ctx;
	struct list_row		*r;

	r = add_row(f->t, &f->cap);
	r->id = xstrdup(ir->id);
	r->title = xstrdup(ir->title);
	r->severity = xstrdup(ir->severity);
	r->open = ir->state_open;
	r->start = ir->has_start ? ir->start_utc : -1;
	r->last_status = ir->has_last_status ? ir->last_status_utc : -1;
	return 0;
}

/* An incident the index could not read, as a row showing why. */
static void
add_problem_row(struct tui *t, size_t *cap, const char *problem)
{
	struct list_row	*r;
	const char	*p, *end;

	r = add_row(t, cap);
	p = strstr(problem, STORE_INCIDENTS "/");
	p = p != NULL ? p + strlen(STORE_INCIDENTS "/") : problem;
	end = strchr(p, '/');
	r->id = end != NULL ? xstrndup(p, (size_t)(end - p)) : xstrdup("?");
	r->title = xstrdup(problem);
	r->severity = xstrdup("");
	r->bad = 1;
	r->start = r->last_status = -1;
}

/*
 * The list from the sqlite index (core/index.h): only incidents whose
 * timeline changed since the last start are read again, so a store of
 * thousands opens at once. -1 when the index cannot be used (a read-only
 * .git, say); the caller then reads every timeline.
 */
static int
load_list_from_index(struct tui *t)
{
	struct index_fill	 f = { t, 0 };
	struct index		*ix = NULL;
	size_t			 i;
	int			 rc = -1;

	if (index_open_store(&ix, t->st) < 0 ||
	    index_sync(ix, t->st, NULL) < 0)
		goto out;
	if (index_each_incident(ix, fill_from_index, &f) != 0)
		goto out;
	for (i = 0; i < index_nproblems(ix); i++)
		add_problem_row(t, &f.cap, index_problem(ix, i));
	rc = 0;
out:
	if (ix != NULL)
		index_close(ix);
	if (rc < 0)
		free_rows(t);
	return rc;
}

static void
load_list(struct tui *t)
{
	char			**ids;
	size_t			 n, i;
	struct incident		*inc;
	struct list_row		*r;
	const struct event	*e;

	free_rows(t);
	t->next_list_poll = mono_ms() + TUI_LIST_POLL_MS;
	if (load_list_from_index(t) == 0)
		goto sort;
	if (store_list(&ids, &n, t->st) < 0) {
		set_msg(t, 1, "%s", pm_error_last());
		return;
	}
	t->rows = xcalloc(n + 1, sizeof *t->rows);
	for (i = 0; i < n; i++) {
		r = &t->rows[t->nrows++];
		r->id = xstrdup(ids[i]);
		r->start = r->last_status = -1;
		if (store_load(&inc, t->st, ids[i]) < 0) {
			r->bad = 1;
			r->open = 0;
			r->title = xstrdup(pm_error_last());
			r->severity = xstrdup("");
			continue;
		}
		incident_sort(inc);
		r->title = xstrdup(incident_title(inc));
		r->severity = xstrdup(incident_severity(inc));
		r->open = !incident_is_resolved(inc);
		if ((e = incident_start(inc)) != NULL)
			r->start = e->at.t;
		if ((e = incident_last_status(inc)) != NULL)
			r->last_status = e->at.t;
		incident_free(inc);
	}
	store_free_ids(ids, n);
sort:
	qsort(t->rows, t->nrows, sizeof *t->rows, row_cmp);
	if (t->list_sel >= (int)t->nrows)
		t->list_sel = t->nrows > 0 ? (int)t->nrows - 1 : 0;
}

static int
list_page(void)
{
	return LINES - 4 > 1 ? LINES - 4 : 1;
}

static void
list_draw(struct tui *t)
{
	char		 age[32], st[32], sev[16], bar[256];
	int		 y, page = list_page(), idw, x, i;
	struct list_row	*r;
	int64_t		 now = tstamp_now();

	snprintf(bar, sizeof bar, "pmtool - %zu incident%s in %s", t->nrows,
	    cli_plural(t->nrows),
	    store_root(t->st));
	draw_bar(0, bar);
	draw_sync(t, 0, text_width(bar, strlen(bar)) + 2, A_REVERSE | A_BOLD);
	idw = COLS - 42;
	if (idw < 12)
		idw = 12;
	attron(A_BOLD);
	mvprintw(1, 0, "%-*s %-6s %-5s %-13s %s", idw, "ID", "SEV", "STATE",
	    "AGE", "LAST STATUS");
	attroff(A_BOLD);
	if (t->list_sel < t->list_top)
		t->list_top = t->list_sel;
	if (t->list_sel >= t->list_top + page)
		t->list_top = t->list_sel - page + 1;
	if (t->nrows == 0)
		put_text(2, 0, COLS, "No incidents yet: 'pmtool new TITLE' "
		    "opens one.");
	for (i = 0; i < page && t->list_top + i < (int)t->nrows; i++) {
		r = &t->rows[t->list_top + i];
		y = 2 + i;
		if (t->list_top + i == t->list_sel) {
			attron(A_REVERSE);
			mvhline(y, 0, ' ', COLS);
		}
		put_text(y, 0, idw, r->id);
		x = idw + 1;
		if (r->bad) {
			put_text(y, x, COLS - x, r->title);
		} else {
			snprintf(sev, sizeof sev, "%s", *r->severity ?
			    r->severity : "-");
			fmt_ago(age, sizeof age, now, r->start);
			if (r->open)
				fmt_ago(st, sizeof st, now, r->last_status);
			else
				snprintf(st, sizeof st, "-");
			mvprintw(y, x, "%-6.6s %-5s %-13.13s %s", sev,
			    r->open ? "open" : "done", age, st);
		}
		if (t->list_top + i == t->list_sel)
			attroff(A_REVERSE);
	}
}

static int open_incident(struct tui *, const char *id);

static int
list_key(struct tui *t, int key)
{
	switch (key) {
	case KEY_UP: case 'k':
		if (t->list_sel > 0)
			t->list_sel--;
		return 1;
	case KEY_DOWN: case 'j':
		if (t->list_sel + 1 < (int)t->nrows)
			t->list_sel++;
		return 1;
	case KEY_PPAGE:
		t->list_sel -= list_page();
		if (t->list_sel < 0)
			t->list_sel = 0;
		return 1;
	case KEY_NPAGE:
		t->list_sel += list_page();
		if (t->list_sel >= (int)t->nrows)
			t->list_sel = t->nrows > 0 ? (int)t->nrows - 1 : 0;
		return 1;
	case 'g': case KEY_HOME:
		t->list_sel = 0;
		return 1;
	case 'G': case KEY_END:
		t->list_sel = t->nrows > 0 ? (int)t->nrows - 1 : 0;
		return 1;
	case '\n': case '\r': case KEY_ENTER:
		if (t->nrows > 0 && open_incident(t,
		    t->rows[t->list_sel].id) == 0)
			push_view(t, &incident_ops);
		return 1;
	}
	return 0;
}

static const struct view_ops list_ops = {
	"list", list_draw, list_key, NULL
};

/* --- one incident ----------------------------------------------------- */

static void
snapshot_timeline(struct tui *t)
{
	struct stat	 sb;

	if (stat(t->tl_path, &sb) == 0) {
		t->tl_mtime = sb.st_mtim;
		t->tl_size = sb.st_size;
	}
}

static int
reload_incident(struct tui *t)
{
	struct incident	*inc;

	snapshot_timeline(t);
	if (store_load(&inc, t->st, t->id) < 0) {
		set_msg(t, 1, "%s", pm_error_last());
		return -1;
	}
	incident_sort(inc);
	incident_free(t->inc);
	t->inc = inc;
	return 0;
}

static int
open_incident(struct tui *t, const char *id)
{
	char	*rel;

	free(t->id);
	free(t->tl_path);
	incident_free(t->inc);
	t->inc = NULL;
	t->id = xstrdup(id);
	rel = store_timeline_relpath(id);
	t->tl_path = xasprintf("%s/%s", store_root(t->st), rel);
	free(rel);
	t->tl_top = 0;
	t->tl_follow = 1;
	t->undo_ref[0] = '\0';
	t->next_poll = mono_ms() + TUI_POLL_MS;
	if (reload_incident(t) < 0)
		return -1;
	return 0;
}

/* Reload when someone else changed the timeline (mtime or size). */
static void
poll_timeline(struct tui *t)
{
	struct stat	 sb;
	long long	 now = mono_ms();

	if (t->inc == NULL || now < t->next_poll)
		return;
	t->next_poll = now + TUI_POLL_MS;
	if (stat(t->tl_path, &sb) < 0)
		return;
	if (sb.st_size != t->tl_size ||
	    sb.st_mtim.tv_sec != t->tl_mtime.tv_sec ||
	    sb.st_mtim.tv_nsec != t->tl_mtime.tv_nsec)
		reload_incident(t);
}

/*
 * The list follows the store too: every couple of seconds it re-syncs
 * from the index, which only stats unchanged timelines, and keeps the
 * selected incident selected.
 */
static void
poll_list(struct tui *t)
{
	long long	 now = mono_ms();
	char		*sel = NULL;
	size_t		 i;

	if (now < t->next_list_poll)
		return;
	t->next_list_poll = now + TUI_LIST_POLL_MS;
	if (t->list_sel >= 0 && (size_t)t->list_sel < t->nrows)
		sel = xstrdup(t->rows[t->list_sel].id);
	load_list(t);
	for (i = 0; sel != NULL && i < t->nrows; i++)
		if (strcmp(t->rows[i].id, sel) == 0) {
			t->list_sel = (int)i;
			break;
		}
	free(sel);
}

static const struct event *
first_of(const struct incident *inc, enum event_kind kind)
{
	size_t	 i;

	for (i = 0; i < inc->nevents; i++)
		if (inc->events[i].kind == kind)
			return &inc->events[i];
	return NULL;
}

/* Rows above the timeline; the metrics wrap, so this depends on COLS. */
/* "  comms Bea  scribe Cy": who holds the roles but the commander's. */
static const char *
other_roles(const struct incident *inc, char *out, size_t size)
{
	const struct role	*r;
	size_t			 i, len = 0;

	*out = '\0';
	for (i = 0; i < inc->cur.nroles && len + 1 < size; i++) {
		r = &inc->cur.roles[i];
		if (strcmp(r->name, "commander") == 0 || *r->person == '\0')
			continue;
		snprintf(out + len, size - len, "  %s %s", r->name, r->person);
		len = strlen(out);
	}
	return out;
}

static int
incident_header(struct tui *t, int draw)
{
	struct metrics		 m;
	const struct event	*start, *det, *last;
	char			 a[32], b[32], c[32], line[512], item[96];
	char			 roles[256];
	int64_t			 now = tstamp_now(), since;
	int			 y, x, w, open, pair = 0, late = 0, i;
	size_t			 len = 0;

	metrics_compute(&m, t->inc);
	start = incident_start(t->inc);
	det = first_of(t->inc, EV_DETECTED);
	last = incident_last_status(t->inc);
	open = !incident_is_resolved(t->inc);
	if (draw) {
		snprintf(line, sizeof line, "%s - %s", t->inc->id,
		    incident_title(t->inc));
		draw_bar(0, line);
		snprintf(line, sizeof line, "%s%s%s%s  zone %s  %s  cadence ",
		    *incident_severity(t->inc) ? incident_severity(t->inc) :
		    "no severity", *incident_commander(t->inc) ? "  lead " :
		    "", incident_commander(t->inc), other_roles(t->inc, roles,
		    sizeof roles), t->inc->zone, open ? "OPEN" : "RESOLVED");
		duration_format(a, sizeof a, t->cfg.cadence_s);
		strncat(line, a, sizeof line - strlen(line) - 1);
		x = put_text(1, 0, COLS, line);
		draw_sync(t, 1, x + 2, 0);
	}
	/* The clocks. With no status update yet, the cadence runs from
	 * detection (else the start). */
	fmt_ago(a, sizeof a, now, start != NULL ? start->at.t : -1);
	fmt_ago(b, sizeof b, now, det != NULL ? det->at.t : -1);
	if (last != NULL)
		since = now - last->at.t;
	else if (det != NULL)
		since = now - det->at.t;
	else if (start != NULL)
		since = now - start->at.t;
	else
		since = 0;
	if (last != NULL)
		duration_format(c, sizeof c, since);
	else
		snprintf(c, sizeof c, "none yet");
	if (open && t->cfg.cadence_s > 0) {
		if (since > t->cfg.cadence_s) {
			late = 1;
			pair = PAIR_LATE;
		} else if (since * 4 >= t->cfg.cadence_s * 3)
			pair = PAIR_WARN;
	}
	if (draw) {
		x = put_text(2, 0, COLS, "since started ");
		x += put_text(2, x, COLS - x, a);
		x += put_text(2, x, COLS - x, "  since detected ");
		x += put_text(2, x, COLS - x, b);
		x += put_text(2, x, COLS - x, "  since status update ");
		if (pair != 0 && t->color)
			attron(COLOR_PAIR(pair) | A_BOLD);
		else if (pair != 0)
			attron(A_BOLD);
		put_text(2, x, COLS - x, c);
		if (pair != 0)
			attroff(COLOR_PAIR(pair) | A_BOLD);
		if (late) {
			duration_format(a, sizeof a, since - t->cfg.cadence_s);
			snprintf(line, sizeof line, " !! status update overdue "
			    "(by %s) !! ", a);
			attron(A_BOLD | (t->color ? COLOR_PAIR(PAIR_LATE) :
			    A_REVERSE));
			put_text(3, 0, COLS, line);
			attroff(A_BOLD | (t->color ? COLOR_PAIR(PAIR_LATE) :
			    A_REVERSE));
		}
	}
	/* Metrics, wrapped at the width. */
	y = 4;
	x = 0;
	for (i = 0; i < M__COUNT; i++) {
		if (m.has[i])
			duration_format(a, sizeof a, m.value[i]);
		else
			snprintf(a, sizeof a, "-");
		snprintf(item, sizeof item, "%s %s", metric_label(i), a);
		w = text_width(item, strlen(item));
		if (x > 0 && x + 3 + w > COLS) {
			y++;
			x = 0;
		}
		if (x > 0)
			x += 3;
		if (draw)
			put_text(y, x, COLS - x, item);
		x += w;
		len++;
	}
	y++;
	if (draw) {
		snprintf(line, sizeof line, "Timeline (%zu event%s, %s)",
		    t->inc->nevents, cli_plural(t->inc->nevents),
		    t->inc->zone);
		attron(A_BOLD);
		put_text(y, 0, COLS, line);
		attroff(A_BOLD);
	}
	return y + 1;
}

static int
timeline_page(struct tui *t)
{
	int	 rows = LINES - 2 - incident_header(t, 0);

	return rows > 1 ? rows : 1;
}

static void
incident_draw(struct tui *t)
{
	const struct event	*e;
	char			 when[32], kind[40], ref[EVENT_REF_LEN + 1];
	int			 y0, page, i, x, max;

	if (t->inc == NULL) {
		draw_bar(0, t->id != NULL ? t->id : "incident");
		return;
	}
	y0 = incident_header(t, 1);
	page = LINES - 2 - y0;
	if (page < 1)
		page = 1;
	max = (int)t->inc->nevents - page;
	if (max < 0)
		max = 0;
	if (t->tl_follow || t->tl_top > max)
		t->tl_top = max;
	for (i = 0; i < page && t->tl_top + i < (int)t->inc->nevents; i++) {
		e = &t->inc->events[t->tl_top + i];
		fmt_local(when, sizeof when, e->at, t->inc->zone);
		event_label(kind, sizeof kind, e, " ");
		incident_short_ref(ref, t->inc, e->ref);
		mvprintw(y0 + i, 0, "%s  ", when);
		put_text(y0 + i, 13, 7, ref);
		attron(A_BOLD);
		put_text(y0 + i, 21, 20, kind);
		attroff(A_BOLD);
		x = 42;
		x += put_text(y0 + i, x, COLS - x, e->text);
		if (strchr(e->text, '\n') != NULL && x + 2 <= COLS)
			put_text(y0 + i, x + 1, 1, "\xe2\x80\xa6");
	}
}

static void
start_edit(struct tui *t, enum event_kind kind)
{
	t->ekind = kind;
	t->estate = ST_NONE;
	lineedit_clear(&t->le);
	t->mode = kind == EV_STATUS ? IN_STATE : IN_EDIT;
	set_msg(t, 0, "%s", "");
}

static void
run_edit(struct tui *t)
{
	char	 exe[] = "/proc/self/exe";
	char	*argv[6];
	pid_t	 pid;
	int	 status;

	argv[0] = "pmtool";
	argv[1] = "-C";
	argv[2] = (char *)store_root(t->st);
	argv[3] = "edit";
	argv[4] = t->id;
	argv[5] = NULL;
	def_prog_mode();
	paste_mode(0);
	endwin();
	if ((pid = fork()) == -1) {
		reset_prog_mode();
		set_msg(t, 1, "cannot start pmtool edit: %s", strerror(errno));
		return;
	}
	if (pid == 0) {
		execv(exe, argv);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
	reset_prog_mode();
	paste_mode(1);
	clearok(curscr, TRUE);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		set_msg(t, 0, "postmortem.md edited");
	else
		set_msg(t, 1, "pmtool edit failed (exit %d)",
		    WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	reload_incident(t);
}

static void
open_pager(struct tui *t)
{
	char	*md = NULL;

	if (render_incident(&md, t->st, t->inc, RENDER_DEFAULT_TEMPLATE,
	    0) < 0) {
		set_msg(t, 1, "%s", pm_error_last());
		return;
	}
	free_lines(t);
	split_lines(t, md);
	free(md);
	t->pg_top = 0;
	t->pg_title = "Postmortem preview (Markdown)";
	push_view(t, &pager_ops);
}

/* One event of the record: "REF  WHEN  KIND", its whole text indented,
 * and who logged it when. */
static void
record_event(struct tui *t, const struct event *e)
{
	char	 ref[EVENT_REF_LEN + 1], when[64], kind[48], line[640];
	const char *p, *nl;

	incident_short_ref(ref, t->inc, e->ref);
	zone_display(when, sizeof when, e->at.t, t->inc->zone);
	event_label(kind, sizeof kind, e, " ");
	snprintf(line, sizeof line, "%s  %s  %s%s", ref, when, kind,
	    (e->flags & EVF_AMENDED) ? "  (amended)" : "");
	split_lines(t, line);
	for (p = e->text; *p != '\0'; p = nl + 1) {
		nl = strchr(p, '\n');
		snprintf(line, sizeof line, "    %.*s", nl != NULL ?
		    (int)(nl - p) : (int)strlen(p), p);
		add_line(t, line, strlen(line));
		if (nl == NULL)
			break;
	}
	if (e->logged_by == NULL)
		snprintf(line, sizeof line, "    logged: not committed yet");
	else {
		zone_display(when, sizeof when, e->logged_at,
		    t->inc->zone);
		snprintf(line, sizeof line, "    logged %s by %s%s", when,
		    e->logged_by, recjson_backfilled(e, t->cfg.backfill_s) ?
		    "  (backfilled)" : "");
	}
	add_line(t, line, strlen(line));
}

/* The incident as an audited record, in the pager. */
static void
open_record(struct tui *t)
{
	const struct correction	*c;
	char			 line[256], ref[EVENT_REF_LEN + 1];
	size_t			 i;

	/* Who logged what is read from the history only here, not on
	 * every reload; never worth failing for. */
	if (attrib_fill(t->st, t->inc) < 0)
		set_msg(t, 1, "who logged each event is not known: %s",
		    pm_error_last());
	free_lines(t);
	for (i = 0; i < t->inc->nevents; i++)
		record_event(t, &t->inc->events[i]);
	if (t->inc->nevents == 0)
		add_line(t, "(no events yet)", 15);
	add_line(t, "", 0);
	snprintf(line, sizeof line, "Corrections: %zu (pmtool show %s "
	    "--history)", t->inc->ncorrections, t->inc->id);
	split_lines(t, line);
	for (i = 0; i < t->inc->ncorrections; i++) {
		c = &t->inc->corrections[i];
		incident_short_ref(ref, t->inc, c->target[0] != '\0' ?
		    c->target : c->line.ref);
		snprintf(line, sizeof line, "  %s %s%s%s", c->line.kind ==
		    EV_RETRACT ? "retract" : "amend", c->target[0] != '\0' ?
		    ref : (c->line.arg != NULL ? c->line.arg : "?"),
		    c->outcome == CO_APPLIED ? "" : "  (no effect: ",
		    c->outcome == CO_APPLIED ? "" : (c->why != NULL ? c->why :
		    correction_outcome_text(c->outcome)));
		if (c->outcome != CO_APPLIED)
			strncat(line, ")", sizeof line - strlen(line) - 1);
		split_lines(t, line);
		record_event(t, &c->line);
	}
	if (t->inc->nretracted > 0) {
		add_line(t, "", 0);
		split_lines(t, "Withdrawn events");
		for (i = 0; i < t->inc->nretracted; i++)
			record_event(t, &t->inc->retracted[i]);
	}
	t->pg_top = 0;
	t->pg_title = "The record: references, who logged what (q: back)";
	push_view(t, &pager_ops);
}

static int
incident_key(struct tui *t, int key)
{
	size_t	 i;
	int	 total;

	if (t->inc == NULL)
		return 0;
	for (i = 0; i < sizeof event_keys / sizeof *event_keys; i++)
		if (event_keys[i].key == key) {
			start_edit(t, event_keys[i].kind);
			return 1;
		}
	switch (key) {
	case 'p':
		open_pager(t);
		return 1;
	case 'e':
		run_edit(t);
		return 1;
	case 'i':
		open_record(t);
		return 1;
	case 'u':
		undo_last(t);
		return 1;
	}
	total = (int)t->inc->nevents;
	if (scroll_key(&t->tl_top, key, total, timeline_page(t))) {
		t->tl_follow = t->tl_top >= total - timeline_page(t);
		return 1;
	}
	return 0;
}

static void
incident_close(struct tui *t)
{
	incident_free(t->inc);
	t->inc = NULL;
	t->mode = IN_KEYS;
	load_list(t);
}

static const struct view_ops incident_ops = {
	"incident", incident_draw, incident_key, incident_close
};

/* --- pager: postmortem and help --------------------------------------- */

static void
pager_draw(struct tui *t)
{
	int	 i, page = LINES - 3;
	int	 max = (int)t->nlines - page;

	if (max < 0)
		max = 0;
	if (t->pg_top > max)
		t->pg_top = max;
	draw_bar(0, t->pg_title);
	for (i = 0; i < page && t->pg_top + i < (int)t->nlines; i++)
		put_text(1 + i, 0, COLS, t->lines[t->pg_top + i]);
}

static int
pager_key(struct tui *t, int key)
{
	return scroll_key(&t->pg_top, key, (int)t->nlines,
	    LINES - 3 > 1 ? LINES - 3 : 1);
}

static void
pager_close(struct tui *t)
{
	free_lines(t);
}

static const struct view_ops pager_ops = {
	"pager", pager_draw, pager_key, pager_close
};

/* What the automatic sync does, for the help page. */
static void
sync_help(struct tui *t)
{
	char	 every[32], line[256];

	duration_format(every, sizeof every, t->cfg.sync_interval_s);
	add_line(t, "", 0);
	split_lines(t, "Auto-sync (sync.interval in .pmtool)");
	snprintf(line, sizeof line, "  every %s, 'pmtool sync%s%s' runs in "
	    "the background; the header", every, *t->cfg.sync_remote ? " " :
	    "", t->cfg.sync_remote);
	split_lines(t, line);
	split_lines(t, "  says when it last synced, or why it failed. Events "
	    "from other clones");
	split_lines(t, "  show as they arrive; yours go out with the next "
	    "sync.");
}

static void
open_help(struct tui *t)
{
	char	 line[256];
	size_t	 i;
	int	 j;

	free_lines(t);
	for (j = 0; help_text[j] != NULL; j++)
		split_lines(t, *help_text[j] ? help_text[j] : " ");
	add_line(t, "", 0);
	add_line(t, "Log an event (incident view)", 28);
	for (i = 0; i < sizeof event_keys / sizeof *event_keys; i++) {
		snprintf(line, sizeof line, "  %c            %-13s %s",
		    event_keys[i].key, event_kind_name(event_keys[i].kind),
		    event_kind_help(event_keys[i].kind));
		split_lines(t, line);
	}
	add_line(t, "", 0);
	add_line(t, "Status states (after s)", 23);
	for (i = 0; i < sizeof state_keys / sizeof *state_keys; i++) {
		snprintf(line, sizeof line, "  %c            %s",
		    state_keys[i].key, status_state_name(state_keys[i].state));
		split_lines(t, line);
	}
	if (t->cfg.sync_interval_s > 0)
		sync_help(t);
	for (j = 0; edit_help[j] != NULL; j++)
		split_lines(t, *edit_help[j] ? edit_help[j] : " ");
	t->pg_top = 0;
	t->pg_title = "pmtool tui - keys (q to go back)";
	push_view(t, &pager_ops);
}

/* --- logging an event from the line editor ---------------------------- */

/*
 * The event the editor holds: its kind and state, its time (an "@" marker
 * at the start, else now) and its text. What would need a second look
 * (a time in the future, an HH:MM taken as yesterday's, what it
 * contradicts in the timeline) goes into warn, unless force. 0, or -1
 * with the error set.
 */
static int
build_event(struct tui *t, struct event *ev, struct buf *warn, int force)
{
	const char		*text = lineedit_text(&t->le);
	struct timemark		 m;
	struct incident		*preview;
	struct lint_list	 l;
	char			 ago[32];
	int			 fell_back = 0, rc = -1;
	size_t			 i;

	memset(ev, 0, sizeof *ev);
	ev->kind = t->ekind;
	ev->state = t->estate;
	timemark_find(&m, text);
	if (!m.present) {
		if (zone_stamp(&ev->at, t->inc->zone, tstamp_now()) < 0)
			goto out;
	} else if (tstamp_parse_user(&ev->at, m.given, t->inc->zone,
	    tstamp_now()) < 0) {
		goto out;
	} else if (cli_parse_time(&ev->at, &fell_back, m.given, t->inc->zone,
	    force) < 0) {
		/* Only a time too far ahead fails here: ask. */
		buf_printf(warn, "%s", pm_error_last());
		(void)cli_parse_time(&ev->at, &fell_back, m.given,
		    t->inc->zone, 1);
	}
	ev->text = incfile_normalize_text(text + m.skip);
	if (fell_back && !force) {
		duration_format(ago, sizeof ago, tstamp_now() - ev->at.t);
		buf_printf(warn, "%s@%s is yesterday's, %s ago", warn->len > 0 ?
		    "; " : "", m.given, ago);
	}
	if (!force && store_preview_append(&preview, t->st, t->id, ev) == 0) {
		lint_list_init(&l);
		lint_event(&l, preview, incident_last_line(preview)->ref,
		    tstamp_now());
		for (i = 0; i < l.n; i++)
			buf_printf(warn, "%s%s", warn->len > 0 ? "; " : "",
			    l.items[i].message);
		lint_list_free(&l);
		incident_free(preview);
	}
	rc = 0;
out:
	timemark_free(&m);
	return rc;
}

/* Commit ev on the job's thread: the clocks keep ticking and a spinner
 * shows if git (or another writer's lock) is slow. */
static void
start_job(struct tui *t, const struct event *ev)
{
	if (logjob_start(&t->job, t->st, t->id, ev) < 0) {
		set_msg(t, 1, "%s", pm_error_last());
		return;
	}
	t->spin = 0;
	if (logjob_wait(&t->job, TUI_QUICK_COMMIT_MS))
		log_done(t);
}

static void
log_event(struct tui *t)
{
	struct event	 ev;
	struct buf	 warn = BUF_INIT;

	if (build_event(t, &ev, &warn, t->confirmed) < 0) {
		set_msg(t, 1, "%s", pm_error_last());
		goto out;
	}
	if (warn.len > 0) {
		t->mode = IN_CONFIRM;
		set_msg(t, 1, "y logs it anyway, n edits: %s", buf_str(&warn));
		goto out;
	}
	start_job(t, &ev);
out:
	t->confirmed = 0;
	free(ev.text);
	buf_free(&warn);
}

/* u: withdraw the last event logged here (an appended retraction). */
static void
undo_last(struct tui *t)
{
	struct event	 ev;

	if (t->undo_ref[0] == '\0') {
		set_msg(t, 1, "nothing to undo: u withdraws the last event "
		    "logged here");
		return;
	}
	memset(&ev, 0, sizeof ev);
	ev.kind = EV_RETRACT;
	ev.arg = t->undo_ref;
	ev.text = "undone in pmtool tui";
	if (zone_stamp(&ev.at, t->inc->zone, tstamp_now()) < 0) {
		set_msg(t, 1, "%s", pm_error_last());
		return;
	}
	start_job(t, &ev);
}

/* The commit has finished (or is about to): report it. On success the
 * editor is cleared; on failure the typed text stays in it. A logged
 * event becomes the one u undoes. */
static void
log_done(struct tui *t)
{
	const struct event *ev = &t->job.ev, *added;
	char		 when[32];
	int		 undone;

	logjob_finish(&t->job);
	if (t->job.rc < 0) {
		set_msg(t, 1, "%s", t->job.error);
		logjob_free(&t->job);
		return;
	}
	undone = ev->kind == EV_RETRACT;
	fmt_local(when, sizeof when, ev->at, t->inc->zone);
	if (undone)
		set_msg(t, 0, "undone: %s withdrawn (its line stays: pmtool "
		    "show --history)", t->undo_what);
	else {
		/* "resolved at 14:32", from "06-07 14:32". */
		snprintf(t->undo_what, sizeof t->undo_what, "%s%s%s at %s",
		    event_kind_name(ev->kind), ev->kind == EV_STATUS ? " " : "",
		    ev->kind == EV_STATUS ? status_state_name(ev->state) : "",
		    when + 6);
		set_msg(t, 0, "logged %s \xe2\x80\x94 u to undo",
		    t->undo_what);
	}
	if (t->job.warning != NULL)
		set_msg(t, 1, "logged; warning: %s", t->job.warning);
	logjob_free(&t->job);
	lineedit_clear(&t->le);
	t->mode = IN_KEYS;
	t->tl_follow = 1;
	t->undo_ref[0] = '\0';
	if (reload_incident(t) == 0 && !undone &&
	    (added = incident_last_line(t->inc)) != NULL)
		snprintf(t->undo_ref, sizeof t->undo_ref, "%s", added->ref);
}

/*
 * While a commit runs, the UI only redraws: clocks and a spinner. Keys
 * are left unread in the terminal, so what the user types meanwhile is
 * handled, in order, once the commit is done; nothing typed is lost.
 */
static void
wait_for_commit(struct tui *t)
{
	draw(t);
	if (logjob_wait(&t->job, TUI_SPIN_MS))
		log_done(t);
	else
		t->spin++;
}

/* The keys that edit the line, in the event editor and at the prompt. */
static void
edit_line_key(struct tui *t, int key, int is_char)
{
	if (is_char) {
		switch (key) {
		case 8: case 127:
			lineedit_backspace(&t->le);
			return;
		case 21:	/* Ctrl-U */
			lineedit_clear(&t->le);
			return;
		case 23:	/* Ctrl-W */
			lineedit_kill_word(&t->le);
			return;
		case 1:		/* Ctrl-A */
			lineedit_home(&t->le);
			return;
		case 5:		/* Ctrl-E */
			lineedit_end(&t->le);
			return;
		}
		lineedit_insert(&t->le, (wchar_t)key);
		return;
	}
	switch (key) {
	case KEY_LEFT: lineedit_left(&t->le); break;
	case KEY_RIGHT: lineedit_right(&t->le); break;
	case KEY_HOME: lineedit_home(&t->le); break;
	case KEY_END: lineedit_end(&t->le); break;
	case KEY_BACKSPACE: lineedit_backspace(&t->le); break;
	case KEY_DC: lineedit_delete(&t->le); break;
	}
}

static void
edit_key(struct tui *t, int key, int is_char)
{
	if (is_char && key == 27) {
		t->mode = IN_KEYS;
		lineedit_clear(&t->le);
		set_msg(t, 0, "cancelled; nothing logged");
		return;
	}
	if ((is_char && (key == '\n' || key == '\r')) ||
	    (!is_char && key == KEY_ENTER)) {
		log_event(t);
		return;
	}
	edit_line_key(t, key, is_char);
}

/* Tab at the prompt: complete the word before the cursor (at the end of
 * the line): a command or event kind first, then a state after
 * "status", an event reference, or a kind. One match is filled in;
 * several are listed. */
static void
complete_prompt(struct tui *t)
{
	const char	*line = lineedit_text(&t->le), *w, *cand[64];
	const char	*states[] = { "investigating", "identified",
			    "monitoring", "update", "resolved" };
	char		 refs[64][EVENT_REF_LEN + 1], prev[32] = "";
	char		 list[256] = "";
	size_t		 n = 0, i, wlen, k;
	int		 first;

	if (t->le.cur != strlen(line))
		return;
	w = line + strlen(line);
	while (w > line && w[-1] != ' ')
		w--;
	wlen = strlen(w);
	first = strspn(line, " ") == (size_t)(w - line);
	if (!first) {
		const char *p = w - 1, *q;

		while (p > line && *p == ' ')
			p--;
		for (q = p; q > line && q[-1] != ' '; q--)
			;
		snprintf(prev, sizeof prev, "%.*s", (int)(p - q + 1), q);
	}
	if (first) {
		for (i = 0; prompt_word(i) != NULL && n < 64; i++)
			if (strncmp(prompt_word(i), w, wlen) == 0)
				cand[n++] = prompt_word(i);
	} else if (strcmp(prev, "status") == 0 ||
	    strcmp(prev, "--status") == 0) {
		for (i = 0; i < 5; i++)
			if (strncmp(states[i], w, wlen) == 0)
				cand[n++] = states[i];
	} else if (t->inc != NULL && (strcmp(prev, "amend") == 0 ||
	    strcmp(prev, "retract") == 0)) {
		for (i = 0; i < t->inc->nevents && n < 64; i++) {
			incident_short_ref(refs[n], t->inc,
			    t->inc->events[i].ref);
			if (strncmp(refs[n], w, wlen) == 0) {
				cand[n] = refs[n];
				n++;
			}
		}
	} else {
		for (i = 0; i < EV__COUNT && n < 64; i++)
			if (strncmp(event_kind_name((enum event_kind)i), w,
			    wlen) == 0)
				cand[n++] = event_kind_name((enum event_kind)i);
	}
	if (n == 1) {
		for (k = wlen; cand[0][k] != '\0'; k++)
			lineedit_insert(&t->le, (wchar_t)(unsigned char)
			    cand[0][k]);
		lineedit_insert(&t->le, L' ');
		return;
	}
	for (i = 0; i < n; i++) {
		strncat(list, cand[i], sizeof list - strlen(list) - 1);
		strncat(list, " ", sizeof list - strlen(list) - 1);
	}
	set_msg(t, 0, "%s", n == 0 ? "no completion" : list);
}

/* y: log the event despite the warning; anything else: back to it. */
static void
confirm_key(struct tui *t, int key, int is_char)
{
	t->mode = IN_EDIT;
	if (is_char && (key == 'y' || key == 'Y')) {
		t->confirmed = 1;
		log_event(t);
		return;
	}
	set_msg(t, 0, "not logged: edit the line (@TIME sets the time), "
	    "Enter logs, Esc cancels");
}

static void
state_key(struct tui *t, int key, int is_char)
{
	size_t	 i;

	if (is_char && key == 27) {
		t->mode = IN_KEYS;
		set_msg(t, 0, "cancelled; nothing logged");
		return;
	}
	for (i = 0; i < sizeof state_keys / sizeof *state_keys; i++)
		if (is_char && state_keys[i].key == key) {
			t->estate = state_keys[i].state;
			t->mode = IN_EDIT;
			return;
		}
}

/* text as the editor line shows it, each line break a return mark;
 * *dcur is where byte cur of text lands. New string. */
static char *
shown_text(const char *text, size_t cur, size_t *dcur)
{
	struct buf	 b = BUF_INIT;
	size_t		 i;

	*dcur = 0;
	for (i = 0; text[i] != '\0'; i++) {
		if (i == cur)
			*dcur = b.len;
		if (text[i] == '\n')
			buf_adds(&b, "\xe2\x86\xb5");	/* U+21B5 */
		else
			buf_addc(&b, text[i]);
	}
	if (i <= cur)
		*dcur = b.len;
	return buf_detach(&b);
}

/* What the line's @TIME resolves to, on the message line while editing:
 * "@14:32 = 14:32 CET, today, 3m ago". */
static void
draw_time_preview(struct tui *t)
{
	struct timemark	 m;
	struct tstamp	 at;
	char		 what[128], line[256];

	timemark_find(&m, lineedit_text(&t->le));
	if (m.present && t->inc != NULL) {
		if (tstamp_parse_user(&at, m.given, t->inc->zone,
		    tstamp_now()) < 0)
			snprintf(line, sizeof line, "@%s: %s", m.given,
			    pm_error_last());
		else {
			timemark_describe(what, sizeof what, at, t->inc->zone,
			    tstamp_now());
			snprintf(line, sizeof line, "@%s = %s", m.given, what);
		}
		move(LINES - 2, 0);
		clrtoeol();
		put_text(LINES - 2, 0, COLS, line);
	}
	timemark_free(&m);
}

/* The bottom line: the editor with its prompt, the state picker, or the
 * view's key hints. Leaves the cursor where it belongs. */
static void
draw_bottom(struct tui *t)
{
	char		 prompt[64], *disp;
	const char	*s = lineedit_text(&t->le), *start;
	size_t		 dcur;
	int		 y = LINES - 1, px, avail, curw;

	move(y, 0);
	clrtoeol();
	if (t->mode == IN_STATE) {
		attron(A_BOLD);
		put_text(y, 0, COLS, "status: i investigating  d identified  "
		    "m monitoring  u update  r resolved  (Esc cancels)");
		attroff(A_BOLD);
		curs_set(0);
		return;
	}
	if (t->cmd.pid != 0) {
		static const char frames[] = "|/-\\";

		attron(A_BOLD);
		mvprintw(y, 0, "%c running pmtool %s... ", frames[t->spin % 4],
		    t->pcmd.name);
		attroff(A_BOLD);
		curs_set(0);
		return;
	}
	if (t->mode == IN_EDIT && t->job.running) {
		static const char frames[] = "|/-\\";

		attron(A_BOLD);
		mvprintw(y, 0, "%c committing %s... ", frames[t->spin % 4],
		    event_kind_name(t->job.ev.kind));
		attroff(A_BOLD);
		put_text(y, getcurx(stdscr), COLS - getcurx(stdscr),
		    lineedit_text(&t->le));
		curs_set(0);
		return;
	}
	if (t->mode == IN_EDIT || t->mode == IN_CONFIRM ||
	    t->mode == IN_COMMAND) {
		if (t->mode == IN_COMMAND)
			snprintf(prompt, sizeof prompt, ":");
		else if (t->ekind == EV_STATUS)
			snprintf(prompt, sizeof prompt, "status %s> ",
			    status_state_name(t->estate));
		else
			snprintf(prompt, sizeof prompt, "%s> ",
			    event_kind_name(t->ekind));
		attron(A_BOLD);
		px = put_text(y, 0, COLS / 2, prompt);
		attroff(A_BOLD);
		avail = COLS - px - 1;
		if (avail < 1)
			avail = 1;
		/* A pasted line break shows as one mark; scroll so the
		 * cursor stays in sight. */
		disp = shown_text(s, t->le.cur, &dcur);
		start = disp;
		while ((curw = text_width(start, (size_t)(disp + dcur -
		    start))) > avail && start < disp + dcur) {
			start++;
			while ((*start & 0xc0) == 0x80)
				start++;
		}
		put_text(y, px, avail, start);
		move(y, px + curw);
		curs_set(t->mode != IN_CONFIRM);
		free(disp);
		return;
	}
	curs_set(0);
	if (top_view(t) == &incident_ops)
		put_text(y, 0, COLS, "t d a s x m r n l: log  : cmd  u undo  "
		    "i record  p pm  e edit  ? keys  q back");
	else if (top_view(t) == &list_ops)
		put_text(y, 0, COLS, "Enter open  j/k move  : command (:new TITLE)  "
		    "? keys  q quit");
	else
		put_text(y, 0, COLS, "j/k PgUp/PgDn g/G scroll  q back");
}

static void
draw(struct tui *t)
{
	const struct view_ops	*v = top_view(t);

	erase();
	if (v != NULL)
		v->draw(t);
	move(LINES - 2, 0);
	clrtoeol();
	if (t->msg[0] != '\0') {
		if (t->msg_err)
			attron(A_BOLD | (t->color ? COLOR_PAIR(PAIR_LATE) : 0));
		put_text(LINES - 2, 0, COLS, t->msg);
		if (t->msg_err)
			attroff(A_BOLD | (t->color ? COLOR_PAIR(PAIR_LATE) :
			    0));
	}
	if (t->mode == IN_EDIT)
		draw_time_preview(t);
	draw_bottom(t);
	wnoutrefresh(stdscr);
	doupdate();
}

#define CMD_OUT_MAX	65536	/* bytes kept of a ':' command's output */

/* Enter at the ':' prompt: run the line as the pmtool command it is, in
 * a child process, so the clocks keep ticking while git works. */
static void
run_prompt(struct tui *t)
{
	const char	*why;
	char		**envp;

	t->mode = IN_KEYS;
	if (prompt_parse(&t->pcmd, lineedit_text(&t->le), store_root(t->st),
	    top_view(t) == &incident_ops && t->inc != NULL ? t->id :
	    NULL) < 0) {
		set_msg(t, 1, "%s", pm_error_last());
		t->mode = IN_COMMAND;
		return;
	}
	envp = child_env();
	if (child_start(&t->cmd, t->pcmd.argv, envp, CMD_OUT_MAX, &why) < 0) {
		set_msg(t, 1, "cannot run pmtool %s: %s: %s", t->pcmd.name, why,
		    strerror(errno));
		prompt_free(&t->pcmd);
		t->mode = IN_COMMAND;
	}
	child_free_vec(envp);
	t->spin = 0;
}

/* The command has ended: its output in the message line (one line) or
 * the pager; the store re-read when it may have changed. */
static void
prompt_done(struct tui *t, int status)
{
	char	*out = t->cmd.out != NULL ? t->cmd.out : "", *nl;
	int	 ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
	size_t	 len = strlen(out);

	while (len > 0 && out[len - 1] == '\n')
		out[--len] = '\0';
	if (ok && t->pcmd.opens && *out != '\0' &&
	    strchr(out, '\n') == NULL) {
		if (open_incident(t, out) == 0) {
			while (top_view(t) != &list_ops && t->depth > 1)
				pop_view(t);
			push_view(t, &incident_ops);
			set_msg(t, 0, "opened %s", out);
		}
	} else if (t->pcmd.page || strchr(out, '\n') != NULL) {
		free_lines(t);
		split_lines(t, *out != '\0' ? out : "(no output)");
		t->pg_top = 0;
		t->pg_title = ok ? "Output (q: back)" : "Failed (q: back)";
		push_view(t, &pager_ops);
	} else if (*out != '\0') {
		nl = strncmp(out, "pmtool: ", 8) == 0 ? out + 8 : out;
		/* A bare word (action add's number) says little alone. */
		if (strchr(nl, ' ') == NULL)
			set_msg(t, !ok, "pmtool %s: %s", t->pcmd.name, nl);
		else
			set_msg(t, !ok, "%s", nl);
		if (!ok)	/* back at the prompt, to fix the line */
			t->mode = IN_COMMAND;
	} else
		set_msg(t, !ok, ok ? "done: pmtool %s" : "pmtool %s failed",
		    t->pcmd.name);
	if (ok)		/* a failed line stays, to be fixed */
		lineedit_clear(&t->le);
	if (t->pcmd.changes && t->inc != NULL)
		reload_incident(t);
	t->next_list_poll = 0;
	prompt_free(&t->pcmd);
	child_release(&t->cmd);
}

/* While a command runs, the UI only redraws, as while a commit runs. */
static void
wait_for_prompt(struct tui *t)
{
	int	 status;

	draw(t);
	if (child_reap(&t->cmd, &status) != 0)
		prompt_done(t, status);
	else {
		t->spin++;
		poll(NULL, 0, TUI_SPIN_MS);
	}
}

static void
prompt_key(struct tui *t, int key, int is_char)
{
	if (is_char && key == 27) {
		t->mode = IN_KEYS;
		lineedit_clear(&t->le);
		set_msg(t, 0, "%s", "");
		return;
	}
	if ((is_char && (key == '\n' || key == '\r')) ||
	    (!is_char && key == KEY_ENTER)) {
		run_prompt(t);
		return;
	}
	if (is_char && key == '\t') {
		complete_prompt(t);
		return;
	}
	edit_line_key(t, key, is_char);
}

/*
 * Read a paste up to its end marker: text, never keys. Line ends become
 * \n, other control characters but TAB go. Into a new wide string, *n
 * characters (at most PASTE_MAX).
 */
static wchar_t *
read_paste(size_t *n)
{
	wchar_t		*w = xcalloc(PASTE_MAX + 1, sizeof *w);
	wint_t		 wch;
	long long	 idle = mono_ms() + PASTE_IDLE_MS;
	int		 rc;

	*n = 0;
	while (mono_ms() < idle) {
		if ((rc = wget_wch(stdscr, &wch)) == ERR)
			continue;
		idle = mono_ms() + PASTE_IDLE_MS;
		if (rc == KEY_CODE_YES) {
			if (wch == KEY_PASTE_END)
				break;
			if (wch == KEY_ENTER && *n < PASTE_MAX)
				w[(*n)++] = L'\n';
			continue;
		}
		if (wch == L'\r')
			wch = L'\n';
		if ((wch < 0x20 && wch != L'\n' && wch != L'\t') ||
		    wch == 0x7f || *n >= PASTE_MAX)
			continue;
		w[(*n)++] = (wchar_t)wch;
	}
	return w;
}

/* Pasted text goes into the line editor as text: into the line being
 * edited, else into a new note (in an incident); elsewhere it is
 * dropped. It is never read as keys. */
static void
handle_paste(struct tui *t)
{
	wchar_t	*w;
	size_t	 n, i;

	w = read_paste(&n);
	while (n > 0 && (w[n - 1] == L'\n' || w[n - 1] == L' '))
		n--;
	if (t->mode == IN_COMMAND) {
		for (i = 0; i < n; i++)
			lineedit_insert(&t->le, w[i] == L'\n' ||
			    w[i] == L'\t' ? L' ' : w[i]);
		free(w);
		return;
	}
	if (t->mode == IN_KEYS && top_view(t) == &incident_ops &&
	    t->inc != NULL && !t->job.running) {
		start_edit(t, EV_NOTE);
		set_msg(t, 0, "pasted into a note: Enter logs it, Esc drops it");
	} else if (t->mode == IN_CONFIRM)
		t->mode = IN_EDIT;
	if (t->mode != IN_EDIT)
		set_msg(t, 1, "paste ignored: %s", t->mode == IN_STATE ?
		    "pick the status state first" : "open an incident to log "
		    "pasted text");
	else
		for (i = 0; i < n; i++)
			lineedit_insert_pasted(&t->le, w[i]);
	free(w);
}

static void
handle_key(struct tui *t, int key, int is_char)
{
	const struct view_ops	*v = top_view(t);

	if (!is_char && key == KEY_RESIZE) {
		clearok(curscr, TRUE);
		return;
	}
	if (!is_char && key == KEY_PASTE_BEGIN) {
		handle_paste(t);
		return;
	}
	if (!is_char && key == KEY_PASTE_END)
		return;
	if (t->mode == IN_EDIT) {
		edit_key(t, key, is_char);
		return;
	}
	if (t->mode == IN_STATE) {
		state_key(t, key, is_char);
		return;
	}
	if (t->mode == IN_CONFIRM) {
		confirm_key(t, key, is_char);
		return;
	}
	if (t->mode == IN_COMMAND) {
		prompt_key(t, key, is_char);
		return;
	}
	if (is_char && key == ':' && v != &pager_ops) {
		t->mode = IN_COMMAND;
		lineedit_clear(&t->le);
		set_msg(t, 0, "%s", t->inc != NULL && v == &incident_ops ?
		    "a pmtool command for this incident: severity SEV1, role "
		    "comms NAME, amend REF --at 14:32, action add ... (Tab "
		    "completes)" : "a pmtool command: new TITLE, sync, list "
		    "... (Tab completes)");
		return;
	}
	if (is_char && key == 'q') {
		set_msg(t, 0, "%s", "");
		pop_view(t);
		return;
	}
	if (is_char && key == '?') {
		if (v != &pager_ops)
			open_help(t);
		return;
	}
	if (is_char && key == 12) {	/* Ctrl-L */
		clearok(curscr, TRUE);
		return;
	}
	if (v != NULL)
		v->key(t, key);
}

/* --- setup, loop, teardown --------------------------------------------- */

/* Ask the terminal to mark pastes (on), or stop (off: before the screen
 * goes to another program, and at the end). */
static void
paste_mode(int on)
{
	fputs(on ? PASTE_ON : PASTE_OFF, stdout);
	fflush(stdout);
}

static SCREEN *
tui_begin(struct tui *t)
{
	SCREEN	*scr;

	if ((scr = newterm(NULL, stdout, stdin)) == NULL)
		return NULL;
	set_term(scr);
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	set_escdelay(25);
	wtimeout(stdscr, TUI_TICK_MS);
	if (has_colors() && getenv("NO_COLOR") == NULL) {
		start_color();
		use_default_colors();
		init_pair(PAIR_WARN, COLOR_YELLOW, -1);
		init_pair(PAIR_LATE, COLOR_RED, -1);
		init_pair(PAIR_TITLE, COLOR_WHITE, COLOR_BLUE);
		t->color = 1;
	}
	curs_set(0);
	define_key("\033[200~", KEY_PASTE_BEGIN);
	define_key("\033[201~", KEY_PASTE_END);
	paste_mode(1);
	return scr;
}

static void
tui_end(SCREEN *scr)
{
	if (scr == NULL)
		return;
	curs_set(1);
	paste_mode(0);
	endwin();
	delscreen(scr);
}

static void
tui_free(struct tui *t)
{
	free_rows(t);
	free_lines(t);
	incident_free(t->inc);
	free(t->id);
	free(t->tl_path);
	lineedit_free(&t->le);
	logjob_free(&t->job);
	prompt_free(&t->pcmd);
	child_release(&t->cmd);
	autosync_free(&t->sync, 0);
}

int
cmd_tui(struct cli *c, int argc, char **argv)
{
	struct tui	 t;
	SCREEN		*scr;
	char		*id = NULL;
	wint_t		 wch;
	int		 rc;

	setlocale(LC_ALL, "");
	memset(&t, 0, sizeof t);
	t.st = c->store;
	if (cli_plain_args(&argc, argv, cli_find("tui")) != 0)
		return EXIT_USAGE;
	if (argc > 2) {
		fprintf(stderr, "usage: pmtool %s\n", cli_find("tui")->usage);
		return EXIT_USAGE;
	}
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return cli_error("tui needs a terminal on standard input and "
		    "output");
	if (argc == 2 && store_resolve_id(&id, t.st, argv[1]) < 0)
		return cli_core_error();
	if (config_load(&t.cfg, store_root(t.st)) < 0) {
		free(id);
		return cli_core_error();
	}
	autosync_init(&t.sync, store_root(t.st), t.cfg.sync_remote,
	    t.cfg.sync_interval_s, mono_ms());
	load_list(&t);
	push_view(&t, &list_ops);
	if (id != NULL) {
		if (open_incident(&t, id) < 0) {
			free(id);
			tui_free(&t);
			return cli_core_error();
		}
		push_view(&t, &incident_ops);
		free(id);
	}
	if ((scr = tui_begin(&t)) == NULL) {
		tui_free(&t);
		return cli_error("cannot start the terminal interface (TERM=%s)",
		    getenv("TERM") != NULL ? getenv("TERM") : "");
	}
	while (!t.quit) {
		/* Never while a commit runs: the user's event goes first. A
		 * sync that brought something in is shown at once. */
		if (autosync_tick(&t.sync, mono_ms(), !t.job.running))
			t.next_poll = t.next_list_poll = 0;
		if (t.job.running) {
			wait_for_commit(&t);
			continue;
		}
		if (t.cmd.pid != 0) {
			wait_for_prompt(&t);
			continue;
		}
		if (top_view(&t) == &incident_ops)
			poll_timeline(&t);
		else if (top_view(&t) == &list_ops)
			poll_list(&t);
		draw(&t);
		rc = wget_wch(stdscr, &wch);
		if (rc == ERR)
			continue;
		handle_key(&t, (int)wch, rc == OK);
	}
	if (autosync_running(&t.sync)) {
		set_msg(&t, 0, "letting the sync finish\xe2\x80\xa6");
		draw(&t);
	}
	autosync_free(&t.sync, TUI_SYNC_QUIT_MS);
	tui_end(scr);
	tui_free(&t);
	return EXIT_OK;
}
