# The two commands of the README: `make demo` and `make check`.
BUILDDIR ?= _build
MESON_OPTIONS ?= -Dwerror=true
XVFB = xvfb-run -a -s "-screen 0 1920x1080x24"
# An uninstalled console reads its schema from the build tree and keeps its settings
# in a key file, which needs no desktop session.
RUN_ENV = GSETTINGS_SCHEMA_DIR=$(BUILDDIR)/data GSETTINGS_BACKEND=keyfile NIGRAN_DATADIR=$(CURDIR)/data

.PHONY: all deps build demo check bench asan clean

all: build

deps:
	@build-aux/install-deps.sh

$(BUILDDIR)/build.ninja:
	meson setup $(BUILDDIR) $(MESON_OPTIONS)

build: deps $(BUILDDIR)/build.ninja
	build-aux/fetch-face-models.sh $(BUILDDIR)/models
	ninja -C $(BUILDDIR)

demo: build
	$(RUN_ENV) $(BUILDDIR)/src/nigran --demo

check: build
	$(XVFB) meson test -C $(BUILDDIR) --print-errorlogs

bench: build
	NIGRAN_CAMSIM=$(BUILDDIR)/src/nigran-camsim $(XVFB) $(BUILDDIR)/tests/bench-wall
	$(BUILDDIR)/tests/bench-eventlog
	NIGRAN_SHARED_DATA=$(CURDIR)/../shared/data $(XVFB) $(BUILDDIR)/tests/bench-map
	NIGRAN_CAMSIM=$(BUILDDIR)/src/nigran-camsim NIGRAN_TEST_DATA=$(CURDIR)/tests/data $(BUILDDIR)/tests/bench-plates
	NIGRAN_SHARED_DATA=$(CURDIR)/../shared/data NIGRAN_CAMSIM=$(BUILDDIR)/src/nigran-camsim \
	  $(BUILDDIR)/tests/bench-faces
	$(BUILDDIR)/tests/fuzz-sos --mutations 20000 tests/fuzz/corpus ../shared/data/alerts/cap/google-cap-library/testdata \
	  ../shared/data/alerts/cap/oasiscap-fixtures

# The same tests with AddressSanitizer and UndefinedBehaviorSanitizer.
asan: deps
	meson setup $(BUILDDIR)-asan -Db_sanitize=address,undefined -Db_lundef=false $(MESON_OPTIONS) 2>/dev/null || true
	build-aux/fetch-face-models.sh $(BUILDDIR)-asan/models
	ninja -C $(BUILDDIR)-asan
	ASAN_OPTIONS=detect_leaks=0 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	  $(XVFB) meson test -C $(BUILDDIR)-asan --print-errorlogs --timeout-multiplier 3

clean:
	rm -rf $(BUILDDIR) $(BUILDDIR)-asan
