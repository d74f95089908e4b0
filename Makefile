# drillbook: `make site` builds the tool and the site from content/ into output/;
# `make test` runs every test. Both install missing system packages first.

SWIFT        ?= swift
CONTENT      ?= content
OUTPUT       ?= output
THEME        ?= themes/default
# The day the site is built "as of" (overdue items, this quarter). Empty = today (UTC).
AS_OF        ?=
# `make site`, `make check` and `make test` share one debug build of the tool: a fresh clone's
# `make site` compiles in about 1.5 minutes on 2 cores, where the optimised build takes about 6
# (docs/architecture.md, "Build time"). The optimised tool, about 3 times faster on a history of
# thousands of runs, is `make release`; `make install` and `make bench` use it.
DEV_BIN      := .build/debug/drillbook
RELEASE_BIN  := .build/release/drillbook

# Build: cmark for Markdown. Tests and real drills: the servers the drills drive on 127.0.0.1.
BUILD_PACKAGES := pkg-config libcmark-dev libcurl4-openssl-dev
TEST_PACKAGES  := redis-server redis-sentinel nginx stress-ng procps python3 postgresql haproxy
TEST_PACKAGES  += chromium  # drillbook serve: the live-reload test opens the served page in headless Chromium
TEST_PACKAGES  += prometheus prometheus-alertmanager prometheus-redis-exporter prometheus-postgres-exporter prometheus-node-exporter  # the drills' monitoring stack (MonitoringDrillTests)
TEST_PACKAGES  += prometheus-nginx-exporter prometheus-process-exporter  # the monitoring stack of drills 3.1 and 3.2 (MonitoringDrillTests)
TEST_PACKAGES  += python3-venv  # drillbook import: the Chaos Toolkit test pip-installs chaostoolkit into .build/chaostoolkit-venv
BENCH_PACKAGES := hugo time hyperfine bc python3 pandoc

# make install: the release binary (which carries the default theme and the playbook's drills) and
# its bash and zsh completion scripts. PREFIX=$HOME/.local for a user install; DESTDIR for packaging.
PREFIX       ?= /usr/local
DESTDIR      ?=
BINDIR       := $(DESTDIR)$(PREFIX)/bin
BASH_COMPLETIONS := $(DESTDIR)$(PREFIX)/share/bash-completion/completions
ZSH_COMPLETIONS  := $(DESTDIR)$(PREFIX)/share/zsh/site-functions

.PHONY: site build release test bench bench-100k check clean snapshots packages test-packages docs docs-check install uninstall

packages:
	@scripts/ensure-packages.sh $(BUILD_PACKAGES)

test-packages: packages
	@scripts/ensure-packages.sh $(TEST_PACKAGES)

build: packages
	$(SWIFT) build --product drillbook

release: packages
	$(SWIFT) build -c release --product drillbook

site: build
	$(DEV_BIN) build --content $(CONTENT) --theme $(THEME) --output $(OUTPUT) $(if $(AS_OF),--as-of $(AS_OF),)
	@echo "Open $(OUTPUT)/index.html"

check: build
	$(DEV_BIN) check --content $(CONTENT)

install: release
	install -d $(BINDIR) $(BASH_COMPLETIONS) $(ZSH_COMPLETIONS)
	install -m 755 $(RELEASE_BIN) $(BINDIR)/drillbook
	$(RELEASE_BIN) --generate-completion-script bash > $(BASH_COMPLETIONS)/drillbook
	$(RELEASE_BIN) --generate-completion-script zsh > $(ZSH_COMPLETIONS)/_drillbook
	@echo "Installed $(BINDIR)/drillbook and its bash and zsh completions"

uninstall:
	rm -f $(BINDIR)/drillbook $(BASH_COMPLETIONS)/drillbook $(ZSH_COMPLETIONS)/_drillbook

# The suites whose verdicts rest on timings (real drills, the loopback HTTP client, the launcher's
# timeouts) run on their own after the rest, so the heavy suites (builds killed at random, 40
# concurrent runs) do not load the 2 cores under them.
TIMED_SUITES := RealDrills|HTTPNetworkClientTests|LauncherTests

test: test-packages
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --skip '$(TIMED_SUITES)'
	$(SWIFT) test --skip-build --filter '$(TIMED_SUITES)'

# Re-record golden HTML/SVG files after an intended change of output.
snapshots: packages
	RECORD_SNAPSHOTS=1 $(SWIFT) test --filter 'Snapshot|Golden'

# The terminal transcripts in docs/ (between `<!-- transcript: … -->` and `<!-- end transcript -->`),
# regenerated from real runs of the debug build (times normalised); docs-check fails when they are stale.
docs: build
	scripts/docs-transcripts.py $(DEV_BIN)

docs-check: build
	scripts/docs-transcripts.py $(DEV_BIN) --check

# The benchmark (bench/run.sh, bench/README.md): unattended, about 15 minutes on a quiet 2-core
# machine; writes bench/results.md, whose first lines say how long the run took.
bench: release
	@scripts/ensure-packages.sh $(BENCH_PACKAGES)
	$(SWIFT) build -c release --product drillbook-rawloop
	bench/run.sh

# The same bench, then drillbook cold builds at 100,000 runs (issue 14: linear at scale, the largest
# page, every file over 2 MB) in the same report; four more builds of a minute or more, ~4 GB of /dev/shm.
bench-100k: release
	@scripts/ensure-packages.sh $(BENCH_PACKAGES)
	$(SWIFT) build -c release --product drillbook-rawloop
	LARGE_SIZES=100000 bench/run.sh

# The site in $(OUTPUT) is cleared only when it carries the marker every drillbook site has: a folder
# without it holds files drillbook did not write, and is left alone (as `drillbook build` leaves it).
clean:
	rm -rf .build
	@if [ -e $(OUTPUT)/.drillbook-site ]; then find $(OUTPUT) -mindepth 1 ! -name .gitkeep -delete; \
	elif [ -d $(OUTPUT) ]; then echo "clean: $(OUTPUT)/ has no .drillbook-site marker, so it was not built by drillbook: left alone"; fi
