# nmirf — see README.md. Every target sets up what it needs.
GO        ?= go
BIN       := bin/nmirf
VERSION   ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS   := -X main.version=$(VERSION)
WAREHOUSE ?= out

.PHONY: all build run test test-short vet bench bench-scale clean tidy-check models lexicon

all: build

build:
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/nmirf

# Runs the batch job on the sample data embedded in the binary, writing $(WAREHOUSE)/.
run: build
	./$(BIN) run --warehouse $(WAREHOUSE)
	./$(BIN) sql --warehouse $(WAREHOUSE) "SELECT mechanism, body, upr_session, response, count(*) AS recommendations, sum(CASE WHEN n_sources > 1 THEN 1 ELSE 0 END) AS from_two_sources FROM recommendations GROUP BY ALL ORDER BY ALL"
	./$(BIN) sql --warehouse $(WAREHOUSE) "SELECT p.lead_entity, p.lead_source, coalesce(s.status, 'no update') AS status, count(*) AS recommendations FROM v_followup_status s JOIN v_responsibility p USING (rec_id) GROUP BY ALL ORDER BY ALL"

# The whole test suite, as CI runs it (tests that need ../shared/data skip without it, fail in CI).
test: vet
	$(GO) test -count=1 -timeout 60m ./...

# Quick tests only (no full-corpus or end-to-end runs).
test-short:
	$(GO) test -short ./...

vet:
	$(GO) vet ./...
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

# Benchmarks with their baselines measured in the same run (see README, "Performance").
# BenchmarkStandaloneVsSklearn times the binary built here (NMIRF_BIN).
bench: build
	@/usr/bin/python3 -c 'import sklearn' 2>/dev/null || { echo "installing Debian's python3-sklearn for the scikit-learn baseline"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-sklearn >/dev/null; }
	NMIRF_BIN=$(abspath $(BIN)) $(GO) test -timeout 60m -run '^$$' -bench . -benchmem -benchtime 3x ./pipeline/ ./load/... ./extract/... ./classify/... | tee bench.txt

# UHRI-scale benchmark: full and incremental `nmirf run` on generated corpora of 30k, 90k and 270k
# records resampled from ../shared/data (needs it); writes bench-scale.txt, logs under _scale/.
bench-scale: build
	GO=$(GO) BIN=$(BIN) SCALE_SKIP_BUILD=1 bash scripts/scale/run.sh

tidy-check:
	$(GO) mod tidy -diff

clean:
	rm -rf bin out _scale bench.txt bench-scale.txt

# Retrains the default models embedded in the binary (data/models/*.nmm) from
# the shared real data; deterministic, about two minutes on two cores (1 min 45 s, build included).
SHARED ?= ../shared/data
models:
	$(GO) run ./internal/modelgen/gen/main.go -shared $(SHARED) -framework data/sdg/global-indicator-framework-2025.csv -out data/models

# The French and Spanish lexicons (data/lexicon/sdg-*.tsv), learnt from the official SDG texts.
lexicon:
	$(GO) run ./internal/lexgen/gen -shared $(SHARED) -out data/lexicon
