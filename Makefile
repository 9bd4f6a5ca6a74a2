# Herald: build, test, try and install.
#
#   make setup     Install the Debian packages the build and the tests need; only the
#                  missing ones are installed (runs apt-get; needs root or sudo). Then
#                  Playwright for Python into .venv/ (for the browser tests of `herald serve`), and
#                  html5lib (an HTML5 parser the tests read every page with).
#                  `build`, `test` and `demo` run it first: it takes a second when nothing is
#                  missing, so on a fresh machine `make demo` or `make test` alone is enough.
#   make build     Debug build of `herald` (.build/debug/herald).
#   make test      Run the whole test suite (Swift Testing, through `swift test`) on an optimized
#                  build with testable imports, in a build folder of its own (TEST_SCRATCH): the
#                  tests run in half the time they take on a debug build, on the code users run.
#                  The tests' temporary folders go in one scratch folder, removed at the end.
#                  `swift test` runs the same tests on the debug build (quicker to rebuild).
#   make demo      Build the posts in examples/ into $(DIST)/ and list what was written.
#   make release   Optimized build: .build/release/herald, with the Swift runtime and Foundation
#                  linked in (--static-swift-stdlib): it needs only Debian's libraries, not the
#                  Swift toolchain.
#   make install   Install the optimized `herald` into $(PREFIX)/bin (make install PREFIX=~/.local).
#   make check-install
#                  Install into a scratch folder and run that binary with the Swift toolchain
#                  hidden from it (a private mount namespace; needs root or sudo): --version, a
#                  render and a build of examples/.
#   make clean     Remove build products and $(DIST)/.
#   make epubcheck Build EPUBs of the examples (and, when ../shared/corpus is there, of every
#                  corpus post and one book of the blog) and check them all with epubcheck.
#   make bench     Time every stage (parse, each format, check, a whole build) on 1,000 posts
#                  made from $(CORPUS), as ratios to cmark-gfm rendering the same posts in the
#                  same process; then the whole-process figures: `herald build` (release) of a
#                  bilingual archive of $(ARCHIVE_POSTS) posts against the cmark-gfm command
#                  over the same files, an unchanged rebuild, a one-post edit, one 10 MB post
#                  and a tenth of the posts, median of $(BENCH_RUNS) runs with peak memory.
#                  Exits 1 when a figure is over its target. Without the corpus it times
#                  examples/ and only reports (the targets are set on the corpus).
#   make fuzz      Build the fuzzer of Fuzz/ (herald-fuzz: optimized, with --sanitize=fuzzer
#                  --sanitize=address; the first build takes minutes) and run its three targets side
#                  by side for $(SECONDS) seconds each (HERALD_FUZZ chooses): pipeline, bytes as a
#                  post through every backend; translate, a source, a stub and a PO file through
#                  translate and its import; template, a user's template. Seeds: examples/, the
#                  tests' posts, $(CORPUS) when present, Fuzz/Seeds/ and templates/. The corpus
#                  they grow stays in $(FUZZ_OUT)/corpus/
#                  for the next run. An input that breaks an invariant is copied into
#                  Tests/HeraldFuzzingTests/Regressions/<target>/, which `make test` runs.
#   make robustness
#                  Run the release `herald` on hostile, pathological and broken inputs
#                  (Tests/Robustness/robustness.py) and write docs/robustness.md: each case, what
#                  Herald said and wrote, and its time. Exits 1 when a case crashed, took over
#                  10 seconds or let through what it must not.
#   make check-plugin
#                  Run Herald's command plugin from the package in plugin-example/
#                  (`swift package herald build posts --out dist`, with its own scratch path
#                  $(PLUGIN_SCRATCH)), check that the post's page was written, and remove dist/.
#                  Builds Herald again for that package: minutes the first time.
#   make templates Regenerate Sources/HeraldTemplates/EmbeddedTemplates.swift, the built-in
#                  templates compiled into the binary, from templates/ (after editing a template;
#                  a test fails until then).
#   make unicode-tables
#                  Regenerate Sources/HeraldCore/Text/UnicodeTables.swift (line breaking and
#                  character widths) from $(UNICODE_DATA) (Debian's unicode-data).
#
# Variables (override on the command line, e.g. `make demo DIST=/tmp/site`):
#   PREFIX     where `install` puts bin/herald           (default /usr/local)
#   DIST       where `demo` writes its output            (default dist)
#   BASE_URL   the absolute site address used by `demo`  (default https://news.example.org/)
#   SWIFT      the swift driver                          (default swift)
#   UNICODE_DATA  the Unicode Character Database folder  (default /usr/share/unicode)
#   CORPUS     sample posts for `epubcheck`              (default ../shared/corpus)
#   EPUBCHECK_JAR                                        (default /usr/share/java/epubcheck.jar)
#   BENCH_POSTS   how many posts `bench` times in process (default 1000)
#   ARCHIVE_POSTS how many posts its whole-process figures build (default 669)
#   BENCH_RUNS    runs of each whole-process figure, the median counts (default 5)
#   PLUGIN_SCRATCH  build folder of `check-plugin`       (default .build/plugin-example)
#   TEST_SCRATCH    build folder of `test`               (default .build/tests)
#   SECONDS    how long `fuzz` runs each target          (default 60)
#   FUZZ_MAX_LEN  the longest input `fuzz` makes, in bytes (default 8192; longer seeds are cut)

PREFIX   ?= /usr/local
DIST     ?= dist
BASE_URL ?= https://news.example.org/
SWIFT    ?= swift
UNICODE_DATA ?= /usr/share/unicode
CORPUS   ?= ../shared/corpus
EPUBCHECK_JAR ?= /usr/share/java/epubcheck.jar
BENCH_POSTS ?= 1000
ARCHIVE_POSTS ?= 669
BENCH_RUNS ?= 5
PLUGIN_SCRATCH ?= .build/plugin-example
TEST_SCRATCH ?= .build/tests
SECONDS  ?= 60
FUZZ_MAX_LEN ?= 8192
FUZZ_OUT := .build/fuzz
FUZZ_TARGETS := pipeline translate template
PLUGIN_EXAMPLE := plugin-example
EPUBCHECK_OUT := .build/epubcheck

# System packages: C libraries (headers and archives) for the build (cmark-gfm, libxml2 and
# the ICU, liblzma and zlib archives it needs, libdeflate, and mimalloc, the allocator the
# herald command links; pkg-config for ZIPFoundation's zlib, in the tests), and the
# reference tools the tests compare against (cmark-gfm and its GFM spec), the Unicode data
# files for line breaking, a local SMTP server and sendmail client for the send test, and
# epubcheck (with a JDK to run it once for many books), gettext's msgfmt for PO files,
# and python3-jsonschema, which checks the AST's JSON against docs/filters/document.schema.json;
# GNU time, which measures the peak memory of the processes `make bench` runs; Chromium, CJK
# fonts and a Python virtual environment (.venv/, with Playwright from PyPI) for the tests that
# drive `herald serve` in a real browser; libcurl's development files: its header for the online
# link check (which opens libcurl at run time), and the library for tests that use URLSession.
DEB_PACKAGES = pkg-config libcmark-gfm-dev libcmark-gfm-extensions-dev cmark-gfm libxml2-dev libicu-dev liblzma-dev zlib1g-dev \
               libdeflate-dev libmimalloc-dev \
               unicode-data python3 python3-aiosmtpd python3-jsonschema msmtp epubcheck default-jdk-headless gettext time \
               chromium fonts-noto-cjk python3-venv libcurl4-openssl-dev
VENV := .venv

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: setup build test demo release install check-install clean templates unicode-tables epubcheck bench fuzz robustness check-plugin

# Every release build links the Swift runtime statically: one build mode, so that `release`,
# `install` and `bench` do not build each other's products again.
RELEASE := $(SWIFT) build -c release --static-swift-stdlib
CHECK_PREFIX ?= .build/check-install

setup:
	@missing=""; \
	for package in $(DEB_PACKAGES); do \
	  dpkg-query -W -f='$${Status}\n' "$$package" 2>/dev/null | grep -q "install ok installed" \
	    || missing="$$missing $$package"; \
	done; \
	if [ -z "$$missing" ]; then \
	  echo "setup: all packages present ($(DEB_PACKAGES))"; \
	else \
	  echo "setup: installing$$missing"; \
	  $(SUDO) apt-get update -q && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing; \
	fi
	@if $(VENV)/bin/python -c 'import playwright, html5lib' 2>/dev/null; then \
	  echo "setup: Playwright and html5lib present in $(VENV)"; \
	else \
	  echo "setup: installing Playwright and html5lib into $(VENV)"; \
	  python3 -m venv "$(VENV)" && "$(VENV)/bin/pip" install -q playwright html5lib; \
	fi

build: setup
	$(SWIFT) build --product herald

test: setup
	@# The tests' temporary folders go into one scratch folder, removed when they end, pass or fail.
	@# Readable by all: one test writes as an unprivileged user (nobody) into a folder of its own.
	@scratch="$$(mktemp -d "$${TMPDIR:-/tmp}/herald-tests.XXXXXX")"; chmod 755 "$$scratch"; \
	echo "$(SWIFT) test (temporary folders in $$scratch)"; \
	TMPDIR="$$scratch" $(SWIFT) test -c release --scratch-path "$(TEST_SCRATCH)"; status=$$?; rm -rf "$$scratch"; exit $$status

demo: build
	@rm -rf "$(DIST)"
	$(SWIFT) run --skip-build herald build examples --out "$(DIST)" --base-url "$(BASE_URL)" --title "Lantern News" \
	  --email-from "Lantern News <news@example.org>" --email-to "users@lists.example.org"
	@echo "Wrote:"
	@cd "$(DIST)" && find . -type f | sed 's|^\./|  $(DIST)/|' | sort
	@echo "Manifest: $(DIST)/manifest.json"

release:
	$(RELEASE) --product herald

install: release
	install -d "$(DESTDIR)$(PREFIX)/bin"
	install -m 0755 "$$($(SWIFT) build -c release --show-bin-path)/herald" "$(DESTDIR)$(PREFIX)/bin/herald"

check-install:
	$(MAKE) install PREFIX="$(abspath $(CHECK_PREFIX))"
	@toolchain="$$(dirname "$$(dirname "$$(readlink -f "$$(command -v $(SWIFT))")")")"; \
	binary="$(abspath $(CHECK_PREFIX))/bin/herald"; out="$(abspath $(CHECK_PREFIX))/out"; rm -rf "$$out"; \
	echo "check-install: running $$binary with $$toolchain hidden"; \
	if ldd "$$binary" | grep -q "$$toolchain"; then echo "check-install: $$binary links into $$toolchain" >&2; exit 1; fi; \
	$(SUDO) unshare -m sh -ec "mount -t tmpfs none '$$toolchain'; \
	  '$$binary' --version; \
	  '$$binary' render examples/2026-10-zh-community-update.md --to text > /dev/null; \
	  '$$binary' build examples --out '$$out' --base-url https://news.example.org/ --quiet"; \
	test -s "$$out/site/index.html" && test -s "$$out/epub/2026-10-zh-update.epub" \
	  && echo "check-install: the installed herald runs without the Swift toolchain"

clean:
	rm -rf .build "$(DIST)"

templates:
	$(SWIFT) run herald-embed templates Sources/HeraldTemplates/EmbeddedTemplates.swift

unicode-tables:
	$(SWIFT) run herald-unicode-tables "$(UNICODE_DATA)/LineBreak.txt" "$(UNICODE_DATA)/EastAsianWidth.txt" \
	  Sources/HeraldCore/Text/UnicodeTables.swift

epubcheck: build
	@rm -rf "$(EPUBCHECK_OUT)" && mkdir -p "$(EPUBCHECK_OUT)/classes"
	@posts="examples"; \
	if [ -d "$(CORPUS)/tikv-blog" ]; then posts="$$posts $(CORPUS)/this-month-in-tikv-2019-08.md $(CORPUS)/tikv-blog"; fi; \
	$(SWIFT) run --skip-build herald build $$posts --out "$(EPUBCHECK_OUT)/build" --base-url "$(BASE_URL)" 2>/dev/null | tail -1; \
	if [ -d "$(CORPUS)/tikv-blog" ]; then \
	  $(SWIFT) run --skip-build herald epub "$(CORPUS)/tikv-blog" -o "$(EPUBCHECK_OUT)/tikv-blog.epub" --title "TiKV blog" --base-url "$(BASE_URL)" 2>/dev/null; \
	fi
	javac -cp "$(EPUBCHECK_JAR)" -d "$(EPUBCHECK_OUT)/classes" Tests/EPUBCheck/CheckAll.java
	@java -cp "$(EPUBCHECK_JAR):$(EPUBCHECK_OUT)/classes" CheckAll $$(find "$(EPUBCHECK_OUT)" -name '*.epub' | sort) \
	  > "$(EPUBCHECK_OUT)/report.txt" 2>&1; status=$$?; \
	grep -E '^(===|Messages|FAILED|ERROR|WARNING|FATAL)' "$(EPUBCHECK_OUT)/report.txt"; exit $$status

bench:
	$(RELEASE) --product herald-bench
	$(RELEASE) --product herald
	@# The targets are set on the sample corpus; without it the examples are timed and reported only.
	.build/release/herald-bench $$( [ -d "$(CORPUS)" ] && echo "$(CORPUS)" || echo "examples --no-targets" ) --posts $(BENCH_POSTS) \
	  --herald .build/release/herald --archive-posts $(ARCHIVE_POSTS) --runs $(BENCH_RUNS)

fuzz: setup
	@# SwiftPM hands swiftc `-sanitize=fuzzer -sanitize=address`, and the second replaces the
	@# first: Swift code would get no coverage counters. The combined flag goes last.
	cd Fuzz && $(SWIFT) build -c release --product herald-fuzz --sanitize=fuzzer --sanitize=address -Xswiftc -sanitize=fuzzer,address
	@rm -rf "$(FUZZ_OUT)/seeds" "$(FUZZ_OUT)/findings"; mkdir -p "$(FUZZ_OUT)/seeds/pipeline" "$(FUZZ_OUT)/findings"
	@n=0; for post in examples/*.md $$(find Tests -name '*.md') $$( [ -d "$(CORPUS)" ] && find "$(CORPUS)" -name '*.md'); do \
	  n=$$((n + 1)); cp "$$post" "$(FUZZ_OUT)/seeds/pipeline/$$n-$$(basename "$$post")"; done
	@cp -r Fuzz/Seeds/translate "$(FUZZ_OUT)/seeds/translate"
	@mkdir -p "$(FUZZ_OUT)/seeds/template"; for template in $$(find templates -name '*.mustache'); do \
	  cp "$$template" "$(FUZZ_OUT)/seeds/template/$$(echo "$$template" | tr / -)"; done
	@bin="$$(cd Fuzz && $(SWIFT) build -c release --show-bin-path)"; status=0; \
	for target in $(FUZZ_TARGETS); do \
	  mkdir -p "$(FUZZ_OUT)/corpus/$$target"; \
	  regressions="Tests/HeraldFuzzingTests/Regressions/$$target"; \
	  echo "fuzz: $$target for $(SECONDS) s (log: $(FUZZ_OUT)/$$target.log)"; \
	  ( HERALD_FUZZ=$$target SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=0:malloc_context_size=0 \
	    "$$bin/herald-fuzz" -max_total_time=$(SECONDS) -max_len=$(FUZZ_MAX_LEN) -timeout=30 -rss_limit_mb=4096 -detect_leaks=0 \
	      -artifact_prefix="$(FUZZ_OUT)/findings/$$target-" "$(FUZZ_OUT)/corpus/$$target" "$(FUZZ_OUT)/seeds/$$target" $$( [ -d "$$regressions" ] && echo "$$regressions") \
	      > "$(FUZZ_OUT)/$$target.log" 2>&1; echo $$? > "$(FUZZ_OUT)/$$target.status" ) & \
	done; wait; \
	for target in $(FUZZ_TARGETS); do \
	  echo "fuzz: $$target: $$(grep -E '^Done [0-9]+ runs' "$(FUZZ_OUT)/$$target.log" || tail -1 "$(FUZZ_OUT)/$$target.log")"; \
	  if [ "$$(cat "$(FUZZ_OUT)/$$target.status")" != 0 ]; then status=1; \
	    grep -E 'broken invariants|ERROR: |SUMMARY' -A6 "$(FUZZ_OUT)/$$target.log" | head -20; \
	    for found in "$(FUZZ_OUT)"/findings/$$target-*; do [ -f "$$found" ] || continue; \
	      mkdir -p "Tests/HeraldFuzzingTests/Regressions/$$target"; cp "$$found" "Tests/HeraldFuzzingTests/Regressions/$$target/"; \
	      echo "fuzz: kept $$found as Tests/HeraldFuzzingTests/Regressions/$$target/$$(basename "$$found")"; done; \
	  fi; \
	done; exit $$status

robustness: setup
	$(RELEASE) --product herald
	python3 Tests/Robustness/robustness.py .build/release/herald docs/robustness.md

check-plugin:
	@rm -rf "$(PLUGIN_EXAMPLE)/dist"
	cd "$(PLUGIN_EXAMPLE)" && $(SWIFT) package --scratch-path "$(abspath $(PLUGIN_SCRATCH))" \
	  --allow-writing-to-package-directory herald build posts --out dist
	@page="$(PLUGIN_EXAMPLE)/dist/site/hello-herald/index.html"; \
	if [ -s "$$page" ]; then echo "check-plugin: wrote $$page"; status=0; \
	else echo "check-plugin: $$page is missing" >&2; status=1; fi; \
	rm -rf "$(PLUGIN_EXAMPLE)/dist"; exit $$status
