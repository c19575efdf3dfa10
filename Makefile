# Luaflet: `make` builds into build/, `make run` serves an example, `make test` runs every
# test (after `make lint`, which checks the sources' style), `make mutate` checks that the
# tests catch planted bugs, `make deps` installs what the build and the tests need (quiet when
# all is present), `make bench` prints figures, `make fuzz` fuzzes the inbound paths for
# FUZZ_SECONDS each.

APP ?= examples/hello_async.lua
PORT ?= 8550
BUILD := build

PKGS := lua5.4 libuv libwebsockets libcjson libcrypto hiredis
CC ?= cc
CFLAGS ?= -O2 -g
CFLAGS += -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -fPIC
ifeq ($(SANITIZE),1)
CFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS += -fsanitize=address,undefined
endif
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LIBS = $(shell pkg-config --libs libuv libwebsockets libcjson libcrypto hiredis 2>/dev/null) -lm
LUA_LIBS = $(shell pkg-config --libs lua5.4 2>/dev/null)

CORE_SRC := host/core.c host/sched.c host/watchdog.c host/proto.c host/diff.c host/snapshot.c \
	host/control_read.c host/schema.c host/patch_write.c host/server.c host/ws.c host/log.c host/fs.c \
	host/thread.c host/http.c host/idmap.c host/lis.c host/intern.c host/static.c host/listen.c \
	host/peers.c host/options.c host/rate.c host/mem.c host/buf.c host/upload.c host/metrics.c host/watch.c \
	host/beat.c host/gcpace.c host/luaheap.c host/redis.c
CORE_OBJ := $(CORE_SRC:host/%.c=$(BUILD)/obj/%.o)
HOST_OBJ := $(CORE_OBJ) $(BUILD)/obj/main.o $(BUILD)/obj/nginx_config.o $(BUILD)/obj/front.o
CLIENT_SRC := $(wildcard client/*.html client/*.mjs client/src/*.js client/src/*/*.js client/src/*.css)

DEBIAN_PKGS := gcc make pkg-config liblua5.4-dev lua5.4 libuv1-dev libwebsockets-dev \
	libwebsockets-evlib-uv libcjson-dev libssl-dev lua-busted lua-check chromium valgrind python3 openssl \
	clang libclang-rt-14-dev clang-format nginx-light libhiredis-dev redis-server

.PHONY: all run lint test mutate bench fuzz deps clean docs FORCE
all: $(BUILD)/luaflet $(BUILD)/lua/luaflet/core.so $(BUILD)/client/index.html

$(BUILD)/obj/%.o: host/%.c $(wildcard host/*.h) $(BUILD)/obj/flags
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -c $< -o $@

# Rebuilds everything when the flags change, e.g. between SANITIZE=1 and a plain build.
$(BUILD)/obj/flags: FORCE
	@mkdir -p $(dir $@)
	@echo '$(CC) $(CFLAGS) $(LDFLAGS)' | cmp -s - $@ || echo '$(CC) $(CFLAGS) $(LDFLAGS)' > $@

$(BUILD)/luaflet: $(HOST_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS) $(LUA_LIBS) -Wl,-E

# For busted: the interpreter provides the Lua API, so the module is not linked to liblua.
$(BUILD)/lua/luaflet/core.so: $(CORE_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -shared -o $@ $^ $(LIBS)

# npm's own marker of a finished install: an empty or half-made node_modules has none.
NPM_DONE := node_modules/.package-lock.json

$(BUILD)/client/index.html: $(CLIENT_SRC) package-lock.json $(NPM_DONE)
	node client/build.mjs $(BUILD)/client
	node client/compress.mjs $(BUILD)/client

$(NPM_DONE): package-lock.json
	@npm ci --no-audit --no-fund --loglevel=error >/dev/null
	@touch $@

C_TESTS := $(BUILD)/tests/test_lis $(BUILD)/tests/test_idmap $(BUILD)/tests/test_snapshot \
	$(BUILD)/tests/test_patch_write $(BUILD)/tests/test_rate $(BUILD)/tests/test_luaheap

$(BUILD)/tests/test_luaheap: tests/c/test_luaheap.c host/luaheap.c host/luaheap.h tests/c/tap.h \
		$(BUILD)/obj/flags
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) $(LDFLAGS) -o $@ tests/c/test_luaheap.c host/luaheap.c $(LUA_LIBS)

$(BUILD)/tests/test_rate: tests/c/test_rate.c host/rate.c host/rate.h tests/c/tap.h $(BUILD)/obj/flags
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ tests/c/test_rate.c host/rate.c

$(BUILD)/tests/test_lis: tests/c/test_lis.c host/lis.c tests/c/tap.h $(BUILD)/obj/flags
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ tests/c/test_lis.c host/lis.c

$(BUILD)/tests/test_idmap: tests/c/test_idmap.c host/idmap.c host/mem.c tests/c/tap.h $(BUILD)/obj/flags
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ tests/c/test_idmap.c host/idmap.c host/mem.c

SNAPSHOT_SRC := host/snapshot.c host/idmap.c host/intern.c host/mem.c

$(BUILD)/tests/test_snapshot: tests/c/test_snapshot.c $(SNAPSHOT_SRC) $(wildcard host/*.h) \
		tests/c/tap.h $(BUILD)/obj/flags
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ tests/c/test_snapshot.c $(SNAPSHOT_SRC)

# The patch writer writes through proto.c, which brings cJSON and Lua along.
PATCH_WRITE_SRC := host/patch_write.c host/proto.c host/buf.c host/schema.c $(SNAPSHOT_SRC)
$(BUILD)/tests/test_patch_write: tests/c/test_patch_write.c $(PATCH_WRITE_SRC) $(wildcard host/*.h) \
		tests/c/tap.h $(BUILD)/obj/flags
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) $(LDFLAGS) -o $@ tests/c/test_patch_write.c $(PATCH_WRITE_SRC) \
		$(LIBS) $(LUA_LIBS)

$(BUILD)/bench/uv_timers: bench/uv_timers.c
	@mkdir -p $(dir $@)
	$(CC) -O2 -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -o $@ $< $(shell pkg-config --cflags --libs libuv) -lm

# The libFuzzer targets (clang), always with ASan and UBSan: fuzz_inbound (a message through
# the JSON decoder and the session's handlers) and fuzz_ws (bytes through libwebsockets and
# ws.c to the same handlers). Each has its seed corpus in tests/fuzz/corpus/<target>/.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS := inbound ws
FUZZ_TARGET ?= $(FUZZ_TARGETS)
FUZZ_CFLAGS := -g -O1 -std=c11 -D_GNU_SOURCE -fno-omit-frame-pointer \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
FUZZ := $(FUZZ_TARGETS:%=$(BUILD)/fuzz/fuzz_%)
FUZZ_OBJ := $(CORE_SRC:host/%.c=$(BUILD)/fuzz/obj/%.o)
# Kept between builds, though only pattern rules name them.
.SECONDARY: $(FUZZ_OBJ)

$(BUILD)/fuzz/obj/%.o: host/%.c $(wildcard host/*.h)
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) $(PKG_CFLAGS) -c $< -o $@

$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_OBJ) $(wildcard host/*.h)
	clang $(FUZZ_CFLAGS) $(PKG_CFLAGS) -o $@ $< $(FUZZ_OBJ) $(LIBS) $(LUA_LIBS)

# Fuzzes each target of FUZZ_TARGET (default: all) for FUZZ_SECONDS, from its seed corpus;
# what it finds new stays in build/fuzz/corpus/<target>/.
fuzz: deps $(FUZZ)
	@for t in $(FUZZ_TARGET); do \
		mkdir -p $(BUILD)/fuzz/corpus/$$t; \
		echo "== fuzz_$$t for $(FUZZ_SECONDS) s"; \
		$(BUILD)/fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -max_len=8192 -timeout=10 \
			$(BUILD)/fuzz/corpus/$$t tests/fuzz/corpus/$$t || exit 1; \
	done

# The load benchmark's client and its baseline server.
$(BUILD)/bench/loadgen: bench/loadgen.c
	@mkdir -p $(dir $@)
	$(CC) -O2 -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -o $@ $< $(shell pkg-config --cflags --libs libuv)

$(BUILD)/bench/echo: bench/echo.c
	@mkdir -p $(dir $@)
	$(CC) -O2 -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -o $@ $< $(PKG_CFLAGS) $(LIBS)

# Figures, each beside a baseline measured in the same run; also written under build/, with
# the figures the targets are checked against in a .json beside each table. Last, the table of
# issue 15's targets, met or missed in this run (build/bench/targets.txt).
# The load benchmark opens up to 19,000 sockets on each side: the host, loadgen and echo raise
# their open-files limit to the hard limit, which must allow that (this machine's: 20,000).
bench: deps all $(BUILD)/bench/uv_timers $(BUILD)/bench/loadgen $(BUILD)/bench/echo
	$(BUILD)/luaflet bench/asyncio_bench.lua $(BUILD)/bench/asyncio.txt
	$(BUILD)/luaflet bench/diff_bench.lua $(BUILD)/bench/diff.txt
	node bench/load.mjs $(BUILD)/bench/load.txt
	node bench/page_weight.mjs $(BUILD)/bench/page_weight.txt
	node bench/targets.mjs $(BUILD)/bench

# The controls reference, docs/controls/, written from the control schema (a spec checks that
# the committed pages are current).
docs:
	lua5.4 tools/controls_reference.lua docs/controls

run: deps all
	$(BUILD)/luaflet $(APP) --port $(PORT)

# The sources' style, in a few seconds: luacheck (settings in .luacheckrc) over every .lua
# file, prettier's check (.prettierrc.json) over every .js and .mjs file, and clang-format's
# (.clang-format) over every C file, each in the whole tree but build/, node_modules/ and what
# .prettierignore names. Each check runs even when one before it failed, and a failure ends
# with what to do about it.
PRETTIER := node_modules/.bin/prettier
JS_FILES := '**/*.{js,mjs,cjs}'
C_FILES = $(shell git ls-files '*.c' '*.h' 2>/dev/null || find host tests bench -name '*.[ch]')

lint: deps
	@echo "== lint"; ok=1; \
	luacheck --quiet --no-color --formatter plain --codes . || { ok=; \
		echo "lint: luacheck's warnings above: fix the code (see .luacheckrc)"; }; \
	$(PRETTIER) --check --log-level warn $(JS_FILES) || { ok=; \
		echo "lint: the files above are not as prettier writes them:" \
			"$(PRETTIER) --write FILE... reformats them"; }; \
	clang-format --dry-run --Werror $(C_FILES) || { ok=; \
		echo "lint: the C files above are not as clang-format writes them:" \
			"clang-format -i FILE... reformats them"; }; \
	[ -n "$$ok" ] || { echo "make lint failed"; exit 1; }

test: deps lint all $(C_TESTS) $(FUZZ)
	@SANITIZE=$(SANITIZE) tests/run

# Mutation testing (slow, not part of test): each mutant in tests/mutants/ must make the suite
# it names fail. MUTANTS="name ..." runs only those.
mutate: deps
	@tests/mutate $(MUTANTS)

# Installs the Debian packages and npm modules the build and tests use, when any is missing.
deps:
	@missing=$$(for p in $(DEBIAN_PKGS); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | \
		grep -q 'ok installed' || echo $$p; done; \
		command -v npm >/dev/null || echo nodejs npm); \
	if [ -n "$$missing" ]; then \
		echo "installing: $$missing"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi
	@[ -f $(NPM_DONE) ] && [ $(NPM_DONE) -nt package-lock.json ] || \
		{ npm ci --no-audit --no-fund --loglevel=error >/dev/null && touch $(NPM_DONE); }

clean:
	rm -rf $(BUILD)
