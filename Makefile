# pmtool - postmortems and incident timelines in the terminal.
#
#   make            build ./pmtool
#   make deps       install missing Debian 12 packages (as root; else prints the command)
#   make demo       the main job on the sample incidents in incidents/
#   make check      unit tests (Check) and end-to-end tests of the real binary
#   make asan       the same tests under AddressSanitizer + UBSan
#   make bench      benchmarks against their references (see bench/)
#   make fuzz       each libFuzzer harness for FUZZ_TIME seconds (clang)
#   make fuzz-replay  the fuzz seeds and crash regressions, normal build
#   make install    PREFIX=/usr/local DESTDIR=

PREFIX	?= /usr/local
BINDIR	?= $(PREFIX)/bin
MANDIR	?= $(PREFIX)/share/man
DATADIR	?= $(PREFIX)/share/pmtool

CC	?= cc
PKGS	 = ncursesw libgit2 libcmark-gfm sqlite3 jansson
CFLAGS	?= -O2 -g
WARN	 = -std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
	   -Wmissing-prototypes -Wno-unused-parameter
ifeq ($(CI),true)
WARN	+= -Werror
endif
ifneq ($(WERROR),)
WARN	+= -Werror
endif
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CHECK_CFLAGS := $(shell pkg-config --cflags check 2>/dev/null)
CHECK_LIBS   := $(shell pkg-config --libs check 2>/dev/null)
# core/ is the model and the store, formats/ the foreign formats: core/ is
# compiled without formats/ on its include path, so it cannot use them.
CORE_BASE_CFLAGS = $(WARN) -pthread -D_DEFAULT_SOURCE -D_GNU_SOURCE \
	     -DPM_DATADIR='"$(DATADIR)"' -Icore $(PKG_CFLAGS)
BASE_CFLAGS = $(CORE_BASE_CFLAGS) -Iformats
ALL_CFLAGS = $(BASE_CFLAGS) $(CFLAGS)
LDLIBS	 = $(PKG_LIBS) -lcmark-gfm-extensions -lm -pthread
# core/tlsdefer.c stands in for one mbedTLS function; the executable must
# export it for the dynamic linker to bind libgit2's call to it.
LDFLAGS	+= -Wl,--export-dynamic-symbol=mbedtls_x509_crt_parse_file

ifeq ($(V),1)
Q =
else
Q = @
endif

LIB_SRCS = $(wildcard core/*.c) $(wildcard formats/*.c)
LIB_OBJS = $(LIB_SRCS:.c=.o)
CLI_SRCS = $(wildcard cli/*.c)
CLI_OBJS = $(CLI_SRCS:.c=.o)
TUI_SRCS = $(wildcard tui/*.c)
TUI_OBJS = $(TUI_SRCS:.c=.o)
UNIT_SRCS = $(wildcard tests/unit/*.c)
UNIT_OBJS = $(UNIT_SRCS:.c=.o)

DEPS_APT = build-essential pkg-config git tzdata libncurses-dev libgit2-dev \
	   libcmark-gfm-dev libcmark-gfm-extensions-dev libsqlite3-dev \
	   libjansson-dev check tmux python3
# What the sanitizer, valgrind and fuzzing runs need besides.
DEPS_DEV_APT = valgrind clang

all: pmtool

libpm.a: $(LIB_OBJS)
	@echo "  AR      $@"
	$(Q)rm -f $@ && $(AR) rcs $@ $(LIB_OBJS)

pmtool: $(CLI_OBJS) $(TUI_OBJS) libpm.a
	@echo "  LINK    $@"
	$(Q)$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(CLI_OBJS) $(TUI_OBJS) libpm.a $(LDLIBS)

tests/unit/run: $(UNIT_OBJS) libpm.a
	@echo "  LINK    $@"
	$(Q)$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(UNIT_OBJS) libpm.a $(CHECK_LIBS) $(LDLIBS)

tests/unit/%.o: tests/unit/%.c
	@echo "  CC      $@"
	$(Q)$(CC) $(ALL_CFLAGS) $(CHECK_CFLAGS) -MMD -MP -c -o $@ $<

core/%.o: core/%.c
	@echo "  CC      $@"
	$(Q)$(CC) $(CORE_BASE_CFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

%.o: %.c
	@echo "  CC      $@"
	$(Q)$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

-include $(LIB_OBJS:.o=.d) $(CLI_OBJS:.o=.d) $(TUI_OBJS:.o=.d) $(UNIT_OBJS:.o=.d) bench/attrib-bench.d

# --- dependencies --------------------------------------------------------
deps:
	@sh tests/deps.sh $(DEPS_APT)

deps-dev: deps
	@sh tests/deps.sh $(DEPS_DEV_APT)

# --- the main job on the sample incidents --------------------------------
demo: deps
	$(Q)$(MAKE) -s all
	$(Q)./pmtool -C . list
	$(Q)mkdir -p out
	$(Q)for id in $$(./pmtool -C . list --json | sed -n 's/^    "id": "\(.*\)",$$/\1/p'); do \
	    echo; ./pmtool -C . metrics "$$id"; \
	    ./pmtool -C . render "$$id" -o "out/$$id.md" && \
	    ./pmtool -C . render "$$id" --html -o "out/$$id.html" && \
	    echo "  postmortem: out/$$id.md, out/$$id.html"; done
	$(Q)./pmtool -C . export --from 1970-01-01 --to 2030-12-31 --format md \
	    -o out/reliability-report.md && \
	    echo && echo "reliability report of every sample incident: out/reliability-report.md"

# --- tests -----------------------------------------------------------------
check: deps
	$(Q)$(MAKE) -s all tests/unit/run fuzz-replay-bins
	$(Q)sh tests/run-all.sh

unit: all tests/unit/run
	$(Q)tests/unit/run

e2e: all fuzz-replay-bins
	$(Q)sh tests/e2e/run.sh

SAN = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
asan: deps
	$(Q)$(MAKE) -s clean-objs
	$(Q)$(MAKE) -s all tests/unit/run fuzz-replay-bins CFLAGS="-O1 -g $(SAN)" \
	    LDFLAGS="$(SAN)"
	$(Q)ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	    LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp \
	    sh tests/run-all.sh
	$(Q)$(MAKE) -s clean-objs

# make valgrind: the unit tests, and every pmtool run of the end-to-end
# tests, under valgrind. VALGRIND_SAMPLE=N (what .ci/run uses, for its
# time budget) puts only the first N runs of each command shape of each
# script under valgrind (tests/e2e/lib.sh: vg_shape, vg_pick).
VALGRIND_SAMPLE ?=
valgrind: deps-dev
	$(Q)$(MAKE) -s all tests/unit/run fuzz-replay-bins
	$(Q)PMTOOL_VALGRIND=1 PMTOOL_VALGRIND_SAMPLE=$(VALGRIND_SAMPLE) \
	    CK_FORK=no sh tests/run-all.sh

bench: all bench/attrib-bench
	$(Q)sh bench/run.sh

# bench/attrib.sh's driver: one attrib_fill() as pmtool show makes it.
bench/attrib-bench: bench/attrib-bench.o libpm.a
	@echo "  LINK    $@"
	$(Q)$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ bench/attrib-bench.o libpm.a $(LDLIBS)

# --- fuzzing ------------------------------------------------------------------
# One libFuzzer harness per parser: tests/fuzz/fuzz_NAME.c (see fuzz.h).
#   make fuzz [FUZZ_TIME=60] [FUZZ_TARGETS="incfile tstamp"]
#	builds them with clang, libFuzzer, ASan and UBSan against core/ and
#	formats/ compiled the same way into tests/fuzz/obj/ (the normal
#	objects are left alone), then runs each in turn for FUZZ_TIME
#	seconds. The corpus grows in tests/fuzz/work/NAME/corpus; a crash,
#	leak or timeout fails the target, leaving tests/fuzz/work/NAME/crash-*
#	(once fixed, it goes to tests/fuzz/regress/NAME/).
#   make fuzz-replay
#	the seeds and regressions through each harness, built by $(CC)
#	without libFuzzer (tests/fuzz/replay.c); `make check` does the same
#	in tests/e2e/t-fuzz-regress.sh.
FUZZ_NAMES   = incfile actfile tstamp mustache import_statuspage \
	       import_pagerduty import_sptext
FUZZ_TARGETS ?= $(FUZZ_NAMES)
FUZZ_TIME    ?= 60
FUZZ_CC	     ?= clang
FUZZ_CFLAGS  ?= -O1 -g
FUZZ_SAN     = -fsanitize=address,undefined -fno-sanitize-recover=all \
	       -fno-omit-frame-pointer
FUZZ_OBJDIR  = tests/fuzz/obj
FUZZ_WORK    = tests/fuzz/work
FUZZ_SPEC    = ../shared/mustache-spec
FUZZ_LIB_OBJS = $(LIB_SRCS:%.c=$(FUZZ_OBJDIR)/%.o)
FUZZ_REPLAY_BINS = $(FUZZ_NAMES:%=tests/fuzz/replay-%)

fuzz: deps-dev
	$(Q)$(MAKE) -s $(FUZZ_TARGETS:%=$(FUZZ_OBJDIR)/fuzz_%)
	$(Q)if [ -d $(FUZZ_SPEC) ] && command -v python3 >/dev/null; then \
	    python3 tests/fuzz/spec-seeds.py $(FUZZ_SPEC) \
	    $(FUZZ_WORK)/mustache/seeds >/dev/null; fi
	$(Q)sh tests/fuzz/run.sh $(FUZZ_OBJDIR) $(FUZZ_WORK) $(FUZZ_TIME) \
	    $(FUZZ_TARGETS)

$(FUZZ_OBJDIR)/%.o: %.c
	@echo "  CC      $@"
	@mkdir -p $(@D)
	$(Q)$(FUZZ_CC) $(BASE_CFLAGS) $(FUZZ_CFLAGS) $(FUZZ_SAN) \
	    -fsanitize=fuzzer-no-link -MMD -MP -c -o $@ $<

$(FUZZ_OBJDIR)/libpm.a: $(FUZZ_LIB_OBJS)
	@echo "  AR      $@"
	$(Q)rm -f $@ && $(AR) rcs $@ $(FUZZ_LIB_OBJS)

$(FUZZ_OBJDIR)/fuzz_%: $(FUZZ_OBJDIR)/tests/fuzz/fuzz_%.o \
    $(FUZZ_OBJDIR)/tests/fuzz/fuzzutil.o $(FUZZ_OBJDIR)/libpm.a
	@echo "  LINK    $@"
	$(Q)$(FUZZ_CC) $(BASE_CFLAGS) $(FUZZ_CFLAGS) $(FUZZ_SAN) \
	    -fsanitize=fuzzer $(LDFLAGS) -o $@ $^ $(LDLIBS)

fuzz-replay-bins: $(FUZZ_REPLAY_BINS)

tests/fuzz/replay-%: tests/fuzz/fuzz_%.o tests/fuzz/fuzzutil.o \
    tests/fuzz/replay.o libpm.a
	@echo "  LINK    $@"
	$(Q)$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

fuzz-replay: all fuzz-replay-bins
	$(Q)PM_TOP=$(CURDIR) sh tests/e2e/t-fuzz-regress.sh

# Kept, not removed as intermediate files of the pattern rules.
FUZZ_HARNESS_OBJS = $(FUZZ_NAMES:%=tests/fuzz/fuzz_%.o) tests/fuzz/fuzzutil.o
.SECONDARY: $(FUZZ_HARNESS_OBJS) tests/fuzz/replay.o \
    $(FUZZ_HARNESS_OBJS:%=$(FUZZ_OBJDIR)/%)

-include $(FUZZ_LIB_OBJS:.o=.d) $(FUZZ_HARNESS_OBJS:.o=.d) \
    $(FUZZ_HARNESS_OBJS:%.o=$(FUZZ_OBJDIR)/%.d) tests/fuzz/replay.d

# --- install ----------------------------------------------------------------
install: pmtool
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(DATADIR)/templates
	install -m 755 pmtool $(DESTDIR)$(BINDIR)/pmtool
	install -m 644 pmtool.1 $(DESTDIR)$(MANDIR)/man1/pmtool.1
	for t in templates/*.mustache; do [ -e "$$t" ] || continue; \
	    install -m 644 "$$t" $(DESTDIR)$(DATADIR)/templates/; done

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/pmtool $(DESTDIR)$(MANDIR)/man1/pmtool.1
	rm -rf $(DESTDIR)$(DATADIR)

clean-objs:
	rm -f core/*.o formats/*.o cli/*.o tui/*.o tests/unit/*.o \
	    core/*.d formats/*.d cli/*.d tui/*.d tests/unit/*.d \
	    libpm.a pmtool tests/unit/run \
	    tests/fuzz/*.o tests/fuzz/*.d tests/fuzz/replay-* \
	    bench/*.o bench/*.d bench/attrib-bench

clean: clean-objs
	rm -rf tests/tmp bench/tmp $(FUZZ_OBJDIR)

.PHONY: all deps deps-dev demo check unit e2e asan valgrind bench install uninstall \
	clean clean-objs fuzz fuzz-replay fuzz-replay-bins
