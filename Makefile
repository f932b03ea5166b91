# Switchboard build. `make` builds build/switchboard; `make test` sets up, builds and runs every
# suite; `make run` sets up, builds and starts a server on SQLite. See README.md.

CC ?= cc
VARIANT ?= release
PKGS := libmicrohttpd jansson sqlite3 libpq libsodium libcrypto libzip libcurl

ifeq ($(VARIANT),asan)
  OPT := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
  BIN := build/switchboard-asan
else
  OPT := -O2 -g
  BIN := build/switchboard
endif

O := build/$(VARIANT)
WARN := -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
        -Wmissing-prototypes -Wformat=2
CPPFLAGS := -Isrc $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
CFLAGS := $(OPT) $(WARN) $(EXTRA_CFLAGS)
LDFLAGS := $(OPT)
LDLIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lpthread -lm

SRC := $(sort $(wildcard src/*/*.c))
LIB_OBJ := $(SRC:src/%.c=$(O)/%.o) $(O)/gen/migrations_sqlite.o $(O)/gen/migrations_postgres.o
MIGRATIONS_SQLITE := $(sort $(wildcard src/store/migrations/sqlite/*.sql))
MIGRATIONS_POSTGRES := $(sort $(wildcard src/store/migrations/postgres/*.sql))
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(O)/tests/%)

.PHONY: all run test bench fuzz format lint clean setup asan unit web
all: $(BIN) web

# The web client: plain ES modules in web/src bundled into web/dist by scripts/build-web.
WEB_SRC := $(shell find web/src -type f 2>/dev/null)
web: $(if $(WEB_SRC),web/dist/.built)
web/dist/.built: $(WEB_SRC) scripts/build-web package-lock.json
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

$(O)/gen/migrations_sqlite.c: $(MIGRATIONS_SQLITE) scripts/embed-sql
	@mkdir -p $(dir $@)
	@scripts/embed-sql sqlite $@ $(MIGRATIONS_SQLITE)

$(O)/gen/migrations_postgres.c: $(MIGRATIONS_POSTGRES) scripts/embed-sql
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

unit: $(UNIT_BIN)

asan:
	$(MAKE) VARIANT=asan all unit

setup:
	scripts/setup

run: setup
	$(MAKE) all
	scripts/run

test: setup
	$(MAKE) all unit
	$(MAKE) VARIANT=asan all unit
	scripts/test

bench: setup
	$(MAKE) all
	scripts/bench

FUZZ_SECONDS ?= 30
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))
# The fuzzers link the library without the HTTP layer and what sits on it.
FUZZ_LIB := $(filter-out src/api/% src/http/% src/connectors/apphost.c,$(SRC))

# libFuzzer targets (card parser, webhook URL parser), each run for FUZZ_SECONDS.
fuzz: $(O)/gen/migrations_sqlite.c $(O)/gen/migrations_postgres.c
	@mkdir -p build/fuzz
	@set -e; for f in $(FUZZ_SRC); do \
	    name=$$(basename $$f .c); \
	    echo "  FUZZ $$name ($(FUZZ_SECONDS)s)"; \
	    clang -std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined -Isrc $$f \
	        $(FUZZ_LIB) $(O)/gen/migrations_sqlite.c $(O)/gen/migrations_postgres.c $(CPPFLAGS) -o build/fuzz/$$name $(LDLIBS); \
	    corpus=tests/fuzz/corpus/$${name#fuzz_}; mkdir -p build/fuzz/$$name.corpus; \
	    build/fuzz/$$name -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
	        build/fuzz/$$name.corpus $$( [ -d $$corpus ] && echo $$corpus ) 2>&1 | tail -n 12; \
	done

format:
	clang-format -i $(SRC) src/main.c $(wildcard src/*/*.h) $(UNIT_SRC) $(wildcard tests/unit/*.h)

lint:
	clang-tidy --quiet $(SRC) src/main.c -- $(CPPFLAGS) -std=c11 -D_GNU_SOURCE
	cppcheck --quiet --error-exitcode=1 --enable=warning,portability --inline-suppr \
	    --suppress=missingIncludeSystem -D_GNU_SOURCE -Isrc src

clean:
	rm -rf build web/dist

-include $(LIB_OBJ:.o=.d) $(O)/main.d
