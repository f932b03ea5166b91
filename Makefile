# Switchboard build. `make` builds build/switchboard; `make test` sets up, builds and runs every
# suite and check; `make run` sets up, builds and starts a server on SQLite. See README.md.

CC ?= cc
VARIANT ?= release
PKGS := libmicrohttpd jansson sqlite3 libpq libsodium libcrypto libzip libcurl libsystemd

ifeq ($(VARIANT),asan)
  OPT := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
  BIN := build/switchboard-asan
else ifeq ($(VARIANT),tsan)
  # ThreadSanitizer. The libraries are not instrumented: TSan sees their locking only through
  # its pthread interceptors; tests/tsan.supp names the races it reports inside them.
  OPT := -O1 -g -fsanitize=thread -fno-omit-frame-pointer
  BIN := build/switchboard-tsan
else ifeq ($(VARIANT),release)
  OPT := -O2 -g
  BIN := build/switchboard
else
  $(error VARIANT must be release, asan or tsan)
endif

O := build/$(VARIANT)
WARN := -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
        -Wmissing-prototypes -Wformat=2
CPPFLAGS := -Isrc $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
CFLAGS := $(OPT) $(WARN) $(EXTRA_CFLAGS)
LDFLAGS := $(OPT) $(EXTRA_LDFLAGS)
LDLIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lpthread -lm

SRC := $(sort $(wildcard src/*/*.c))
LIB_OBJ := $(SRC:src/%.c=$(O)/%.o) $(O)/gen/migrations_sqlite.o $(O)/gen/migrations_postgres.o
MIGRATIONS_SQLITE := $(sort $(wildcard src/store/migrations/sqlite/*.sql))
MIGRATIONS_POSTGRES := $(sort $(wildcard src/store/migrations/postgres/*.sql))
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(O)/tests/%)
# Every C file `make format` formats and the format check checks.
FORMAT_FILES := $(SRC) src/main.c $(sort $(wildcard src/*/*.h)) $(UNIT_SRC) \
                $(sort $(wildcard tests/unit/*.h)) $(sort $(wildcard tests/fuzz/*.c))

.PHONY: all run test bench fuzz fuzz-build format format-check lint clean setup asan tsan unit \
        unit-build web man install deb test-package setup-test setup-bench
all: $(BIN) web

# The web client: plain ES modules in web/src bundled into web/dist by scripts/build-web.
WEB_SRC := $(shell find web/src -type f 2>/dev/null)
web: $(if $(WEB_SRC),web/dist/.built)
web/dist/.built: $(WEB_SRC) scripts/build-web scripts/finish-web package-lock.json
	@echo "  WEB web/dist"
	@scripts/build-web
	@touch $@

$(BIN): $(O)/main.o $(LIB_OBJ)
	@echo "  LD $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(O)/main.o: src/main.c
	@mkdir -p $(dir $@)
	@echo "  CC $<"
	@$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

$(O)/%.o: src/%.c
	@mkdir -p $(dir $@)
	@echo "  CC $<"
	@$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

# For every variant's directory, and build/fuzz/obj; kept, as explicit targets would be.
.PRECIOUS: %/gen/migrations_sqlite.c %/gen/migrations_postgres.c
%/gen/migrations_sqlite.c: $(MIGRATIONS_SQLITE) scripts/embed-sql
	@mkdir -p $(dir $@)
	@scripts/embed-sql sqlite $@ $(MIGRATIONS_SQLITE)

%/gen/migrations_postgres.c: $(MIGRATIONS_POSTGRES) scripts/embed-sql
	@mkdir -p $(dir $@)
	@scripts/embed-sql postgres $@ $(MIGRATIONS_POSTGRES)

$(O)/gen/%.o: $(O)/gen/%.c
	@$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(O)/tests/%: tests/unit/%.c $(LIB_OBJ)
	@mkdir -p $(dir $@)
	@echo "  LD $@"
	@$(CC) $(CPPFLAGS) -Itests/unit $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS) -lcmocka

# The allocation-failure test fails our objects' allocations at will (tests/unit/test_allocfail.c).
$(O)/tests/test_allocfail: private LDFLAGS += -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=free,--wrap=strdup,--wrap=strndup

# The sanitizers' settings for running tests; scripts/test uses the same.
SAN_ENV := ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:halt_on_error=1 \
           UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
           TSAN_OPTIONS="suppressions=$(CURDIR)/tests/tsan.supp second_deadlock_stack=1"

# `make unit-build` only builds the unit tests; `make unit` also runs them (each one's output in
# <binary>.log, printed when it fails).
unit-build: $(UNIT_BIN)

unit: unit-build
	@failed=0; for t in $(UNIT_BIN); do \
	    if $(SAN_ENV) $$t >$$t.log 2>&1; then echo "  ok   $$t"; \
	    else echo "  FAIL $$t:"; tail -n 40 $$t.log; failed=1; fi; \
	done; exit $$failed

asan:
	$(MAKE) VARIANT=asan all unit

tsan:
	$(MAKE) VARIANT=tsan all unit

setup:
	scripts/setup

# What the tests and the benchmark need on top of building and running (scripts/setup).
setup-test:
	scripts/setup test

setup-bench:
	scripts/setup bench

# The man page switchboard(8), from its scdoc source.
man: build/switchboard.8
build/switchboard.8: man/switchboard.8.scd
	@mkdir -p build
	@echo "  MAN $@"
	@scdoc <$< >$@

# `make install [PREFIX=/usr/local] [DESTDIR=]`: the binary, the web client (precompressed and
# hashed as built), the man page, the systemd unit and /etc/switchboard/switchboard.conf (an
# existing one is kept). The binary finds the web client at ../share/switchboard/web.
PREFIX ?= /usr/local
SYSCONFDIR ?= /etc
UNITDIR ?= $(PREFIX)/lib/systemd/system
INSTALL ?= install
install: $(BIN) web build/switchboard.8
	$(INSTALL) -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man8 \
	    $(DESTDIR)$(PREFIX)/share/switchboard $(DESTDIR)$(UNITDIR) $(DESTDIR)$(SYSCONFDIR)/switchboard
	$(INSTALL) -m 0755 $(BIN) $(DESTDIR)$(PREFIX)/bin/switchboard
	rm -rf $(DESTDIR)$(PREFIX)/share/switchboard/web
	cp -R web/dist $(DESTDIR)$(PREFIX)/share/switchboard/web
	rm -f $(DESTDIR)$(PREFIX)/share/switchboard/web/.built
	find $(DESTDIR)$(PREFIX)/share/switchboard/web -type d -exec chmod 0755 {} +
	find $(DESTDIR)$(PREFIX)/share/switchboard/web -type f -exec chmod 0644 {} +
	gzip -9n <build/switchboard.8 >$(DESTDIR)$(PREFIX)/share/man/man8/switchboard.8.gz
	chmod 0644 $(DESTDIR)$(PREFIX)/share/man/man8/switchboard.8.gz
	sed 's|@BINDIR@|$(PREFIX)/bin|' packaging/switchboard.service.in >$(DESTDIR)$(UNITDIR)/switchboard.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/switchboard.service
	[ -e $(DESTDIR)$(SYSCONFDIR)/switchboard/switchboard.conf ] || \
	    $(INSTALL) -m 0640 packaging/switchboard.conf $(DESTDIR)$(SYSCONFDIR)/switchboard/switchboard.conf

# `make deb`: build/switchboard_<version>_<arch>.deb, built by dpkg-buildpackage (debian/) in a
# copy of the tree under build/deb, so that its outputs (written beside the source directory)
# stay in build/. See scripts/make-deb.
# Rebuilt only when what goes into it changed (the e2e contract test and scripts/test-package
# both ask for it).
DEB_INPUTS = $(shell find src web/src debian packaging man -type f 2>/dev/null) Makefile \
             docs/deploy.md package-lock.json $(wildcard scripts/build-web scripts/finish-web \
             scripts/make-deb scripts/embed-sql scripts/check-web-*)
deb: build/deb/.stamp
build/deb/.stamp: $(DEB_INPUTS)
	scripts/make-deb
	@touch $@

# The package's test (scripts/test-package): builds it, unpacks and runs it, checks the unit.
test-package:
	scripts/test-package

run: setup
	$(MAKE) all
	scripts/run

# Builds every variant and the fuzzers, then scripts/test runs the suites and the checks. The
# builds use every core (NPROC) unless make was given its own -j.
NPROC := $(shell nproc 2>/dev/null || echo 2)
BUILD_J = $(if $(filter -j%,$(MAKEFLAGS)),,-j$(NPROC))
test: setup-test
	$(MAKE) $(BUILD_J) all unit-build
	$(MAKE) $(BUILD_J) VARIANT=asan all unit-build
	$(MAKE) $(BUILD_J) VARIANT=tsan all unit-build
	$(MAKE) $(BUILD_J) fuzz-build
	scripts/test

bench: setup-bench
	$(MAKE) all
	scripts/bench

# libFuzzer targets (tests/fuzz/fuzz_*.c), built with clang. The library is compiled once for
# them (build/fuzz/obj) and every target links those objects. `make fuzz` runs each for
# FUZZ_SECONDS (scripts/fuzz); `make test` runs each for 10 s.
FUZZ_SECONDS ?= 3600
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BIN := $(FUZZ_SRC:tests/fuzz/%.c=build/fuzz/%)
# The fuzzers link the library without the HTTP layer and what sits on it.
FUZZ_LIB := $(filter-out src/api/% src/http/% src/connectors/apphost.c src/connectors/catalog_list.c \
                          src/proxy/proxy.c,$(SRC))
FUZZ_OBJ := $(FUZZ_LIB:src/%.c=build/fuzz/obj/%.o) build/fuzz/obj/gen/migrations_sqlite.o \
            build/fuzz/obj/gen/migrations_postgres.o
FUZZ_CFLAGS := -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=undefined \
               -fno-omit-frame-pointer $(WARN)

build/fuzz/obj/%.o: src/%.c
	@mkdir -p $(dir $@)
	@echo "  CC $< (fuzz)"
	@clang $(CPPFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c -o $@ $<

build/fuzz/obj/gen/%.o: build/fuzz/obj/gen/%.c
	@clang $(CPPFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

$(FUZZ_BIN): build/fuzz/%: tests/fuzz/%.c $(FUZZ_OBJ)
	@echo "  LD $@"
	@clang $(CPPFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $^ $(LDLIBS)

fuzz-build: $(FUZZ_BIN)

fuzz: fuzz-build
	scripts/fuzz $(FUZZ_SECONDS) $(FUZZ_BIN)

format:
	@clang-format -i $(FORMAT_FILES)

# What `make format` would change, as errors.
format-check:
	@echo "  FORMAT-CHECK $(words $(FORMAT_FILES)) files"
	@clang-format --dry-run -Werror $(FORMAT_FILES)

# clang-tidy is slow: one process per file, LINT_JOBS (default: one per core) at once.
LINT_JOBS ?= $(NPROC)
lint:
	@echo "  LAYERS src"
	@scripts/check-layers --self-test
	@scripts/check-layers
	@echo "  I18N web/src"
	@scripts/check-web-i18n --self-test
	@scripts/check-web-firstload-text --self-test
	@echo "  TIDY src ($(LINT_JOBS) at once)"
	@printf '%s\n' $(SRC) src/main.c | xargs -P $(LINT_JOBS) -n 1 bash -c 'set -o pipefail; \
	    clang-tidy --quiet "$$0" -- $(CPPFLAGS) -std=c11 -D_GNU_SOURCE 2>&1 | \
	    { grep -v "^[0-9]* warnings\? generated\.$$" || true; }'
	@echo "  CPPCHECK src"
	@cppcheck --quiet --error-exitcode=1 --enable=warning,portability --inline-suppr \
	    --suppress=missingIncludeSystem -D_GNU_SOURCE -Isrc src

clean:
	rm -rf build web/dist

-include $(LIB_OBJ:.o=.d) $(O)/main.d $(wildcard build/fuzz/obj/*/*.d)
