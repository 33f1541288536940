# threatkg: the two commands are `make demo` and `make test` (see README.md).
SHELL := /usr/bin/env bash
.SHELLFLAGS := -eu -o pipefail -c
GO ?= go
BIN := bin/threatkg

# The development server (make neo4j, make demo): .neo4j/, Bolt 7687, HTTP 7474.
# The test server (make test): .neo4j-test/, Bolt 7688, HTTP 7475. Tests wipe
# their database, so they never use the development server and its data.
TEST_NEO4J := NEO4J_LOCAL_HOME=$(CURDIR)/.neo4j-test NEO4J_BOLT_PORT=7688 NEO4J_HTTP_PORT=7475 NEO4J_HEAP=1g NEO4J_PAGECACHE=1g
# The benchmark server (make bench): .neo4j-bench/, Bolt 7689, HTTP 7476, with
# a larger heap and page cache; bench wipes its database.
BENCH_HEAP ?= 6g
BENCH_PAGECACHE ?= 6g
BENCH_NEO4J := NEO4J_LOCAL_HOME=$(CURDIR)/.neo4j-bench NEO4J_BOLT_PORT=7689 NEO4J_HTTP_PORT=7476 NEO4J_HEAP=$(BENCH_HEAP) NEO4J_PAGECACHE=$(BENCH_PAGECACHE)
BENCH_RUNS ?= 1000

.DEFAULT_GOAL := help
.PHONY: help build demo test e2e fuzz vet unit bench bench-large bench-go bench-neo4j bench-neo4j-stop neo4j neo4j-stop neo4j-status neo4j-logs neo4j-env test-neo4j test-neo4j-stop clean taxii-server python-tools test-docker

help: ## list the targets
	@grep -hE '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

build: ## build bin/threatkg
	@$(GO) build -o $(BIN) ./cmd/threatkg

SEED := testdata/articles/apt10-2018-12-20
ATTACK := testdata/stix/attack/menupass.json
APT41 := testdata/articles/doj-apt41-2020
IOCS := testdata/stix/indicators/menupass-iocs.json

demo: neo4j ## local Neo4j, load the seed article and ATT&CK's APT10, answer canned queries
	@set -a; . .neo4j/env; set +a; \
	step() { printf '\n\033[1m== %s\033[0m\n' "$$*"; }; \
	step "threatkg doctor"; $(BIN) doctor; \
	step "threatkg load $(SEED)"; $(BIN) load $(SEED); \
	step "threatkg load $(ATTACK)  (MITRE ATT&CK: APT10 / menuPass)"; $(BIN) load $(ATTACK) >/dev/null; \
	step "threatkg resolve --explain APT10"; $(BIN) resolve --explain APT10; \
	step "threatkg query actor-profile --param actor=APT10 --format json"; $(BIN) query actor-profile --param actor=APT10 --format json; \
	step "threatkg query actors-victims --param actor=APT10"; $(BIN) query actors-victims --param actor=APT10; \
	step "threatkg query technique-actors --param technique=T1199"; $(BIN) query technique-actors --param technique=T1199; \
	step "threatkg query charged-individuals"; $(BIN) query charged-individuals; \
	step "threatkg query condemnations"; $(BIN) query condemnations; \
	step "threatkg query agreement-violations"; $(BIN) query agreement-violations; \
	step "threatkg query campaign-timeline"; $(BIN) query campaign-timeline; \
	step "threatkg query shortest-path --param from='Zhu Hua' --param to='U.S. Department of Justice'"; \
	$(BIN) query shortest-path --param from='Zhu Hua' --param to='U.S. Department of Justice'; \
	step "threatkg load $(IOCS)  (indicators tied to menuPass; documentation addresses)"; $(BIN) load $(IOCS) >/dev/null; \
	step "threatkg query observable-actors --param value='hxxp://update.c2[.]example/news.php'  (which actor is this URL tied to?)"; \
	$(BIN) query observable-actors --param value='hxxp://update.c2[.]example/news.php'; \
	step "threatkg extract $(APT41)/article.txt --eval ...  (drafting annotations from text, measured)"; \
	$(BIN) extract $(APT41)/article.txt --eval $(APT41)/annotations.yaml | sed -n '1,5p'; \
	step "threatkg extract --eval-corpus testdata/annoctr/dev  (measured on vendor reports nobody here wrote: AnnoCTR)"; \
	$(BIN) extract --eval-corpus testdata/annoctr/dev --no-graph | sed -n '1,9p'; \
	step "Explore"; \
	echo "Neo4j Browser: $$NEO4J_HTTP_URL/browser/  (user neo4j, password in .neo4j/password)"; \
	echo "The tour, in Browser:  :guide $$NEO4J_HTTP_URL/browser/threatkg/guide.html"; \
	echo "A query as a graph:    $(BIN) query actors-victims --param actor=APT10 --browser --open"; \
	echo "More queries:  . .neo4j/env && $(BIN) query"

test: vet test-neo4j python-tools ## go vet, then every test against a real local Neo4j (started if needed), medallion and stix2-validator, then a short fuzz run
	@set -a; . .neo4j-test/env; set +a; \
	THREATKG_REQUIRE_NEO4J=1 THREATKG_REQUIRE_TAXII=1 THREATKG_REQUIRE_STIX_VALIDATOR=1 $(GO) test -count=1 -timeout 30m -v ./...
	@$(MAKE) -s fuzz FUZZTIME=5000x

# The fuzz budget is a count of executions ("Nx"), not a duration: with a
# duration, Go 1.26's coordinator reports "context deadline exceeded" when
# the deadline falls while a worker is still minimising a new input
# (golang/go#75804, fixed in Go 1.27), which fails a run with no crasher.
# FUZZMINIMIZE bounds that minimisation; -timeout bounds a hanging input.
FUZZTIME ?= 50000x
FUZZMINIMIZE ?= 10s
FUZZFLAGS = -run='^$$' -fuzztime=$(FUZZTIME) -fuzzminimizetime=$(FUZZMINIMIZE) -timeout=15m
fuzz: ## fuzz the annotation and STIX parsers and the extractor (FUZZTIME executions each; new crashers land in loaders/testdata/fuzz)
	$(GO) test $(FUZZFLAGS) -fuzz='^FuzzReadArticle$$' ./loaders/
	$(GO) test $(FUZZFLAGS) -fuzz='^FuzzReadSTIX$$' ./loaders/
	$(GO) test $(FUZZFLAGS) -fuzz='^FuzzExtract$$' ./loaders/extract/

test-docker: vet test-neo4j ## the integration tests of graph (and cmd/threatkg's end-to-end ones) through testcontainers-go and Docker: starts dockerd if no engine answers, builds threatkg's stand-in image (no registry needed; THREATKG_NEO4J_IMAGE to use another)
	@GO=$(GO) scripts/docker/test-docker.sh

e2e: vet test-neo4j ## the browser tests (headless Chromium); refreshes docs/browser-apt10.png
	@set -a; . .neo4j-test/env; set +a; \
	THREATKG_REQUIRE_NEO4J=1 THREATKG_SCREENSHOT_DIR=$(CURDIR)/docs $(GO) test -count=1 -v -run 'TestBrowser' ./cmd/threatkg/

# The Python tools the tests run, in a virtual environment in .venv-tools/,
# from PyPI, pinned: OASIS's TAXII 2.1 reference server, medallion (the
# TAXII tests start it themselves, with its memory backend), and OASIS's
# STIX 2.1 validator, stix2-validator (run on every export the tests make).
MEDALLION_VERSION ?= 3.0.0
STIX2_VALIDATOR_VERSION ?= 3.3.2
PYTOOLS_STAMP = .venv-tools/.installed-medallion-$(MEDALLION_VERSION)-stix2-validator-$(STIX2_VALIDATOR_VERSION)
python-tools: $(PYTOOLS_STAMP) ## install medallion and stix2-validator (the TAXII server and STIX validator the tests run) into .venv-tools/
taxii-server: python-tools
$(PYTOOLS_STAMP):
	python3 -m venv .venv-tools
	.venv-tools/bin/pip install --quiet --disable-pip-version-check medallion==$(MEDALLION_VERSION) stix2-validator==$(STIX2_VALIDATOR_VERSION)
	touch $@

vet: ## go vet
	$(GO) vet ./...

unit: ## unit tests only: no Neo4j, no server started (integration tests and the local-server tests skip)
	env -u NEO4J_URI -u CI -u THREATKG_REQUIRE_NEO4J THREATKG_NO_SERVERS=1 $(GO) test -count=1 ./...

bench: build bench-go bench-neo4j ## Go benchmarks, then load and query the synthetic S and M corpora (JSON on stdout; wipes the bench server)
	@set -a; . .neo4j-bench/env; set +a; \
	for size in S M; do $(BENCH_NEO4J) $(BIN) bench --size $$size --yes --runs $(BENCH_RUNS) --local-server scripts/neo4j-local.sh --format json; done

bench-large: build bench-neo4j ## the same for the L corpus (about 1M nodes, 3.5M relationships; takes a while)
	@set -a; . .neo4j-bench/env; set +a; \
	$(BENCH_NEO4J) $(BIN) bench --size L --yes --runs $(BENCH_RUNS) --local-server scripts/neo4j-local.sh --format json

bench-go: ## Go benchmarks of the client's hot paths: generating, parsing, batching, extracting (on stderr)
	@$(GO) test -run='^$$' -bench=. -benchmem ./loaders/... ./graph/ 1>&2

bench-neo4j: build ## start (or reuse) the benchmark Neo4j in .neo4j-bench/
	@$(BENCH_NEO4J) scripts/neo4j-local.sh start >/dev/null

bench-neo4j-stop: ## stop the benchmark Neo4j
	@$(BENCH_NEO4J) scripts/neo4j-local.sh stop

neo4j: build ## start (or reuse) the local Neo4j in .neo4j/ and print its settings
	@scripts/neo4j-local.sh start

neo4j-stop: ## stop the local Neo4j (data is kept)
	@scripts/neo4j-local.sh stop

neo4j-status: ## is the local Neo4j running?
	@scripts/neo4j-local.sh status

neo4j-logs: ## show the local Neo4j's log
	@scripts/neo4j-local.sh logs

neo4j-env: ## print the export lines of the local Neo4j
	@scripts/neo4j-local.sh env

test-neo4j: build ## start (or reuse) the test Neo4j in .neo4j-test/
	@$(TEST_NEO4J) scripts/neo4j-local.sh start >/dev/null

test-neo4j-stop: ## stop the test Neo4j
	@$(TEST_NEO4J) scripts/neo4j-local.sh stop

clean: ## remove build output (not the Neo4j servers: make neo4j-stop, then rm -rf .neo4j)
	rm -rf bin
