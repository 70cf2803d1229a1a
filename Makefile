# The Makefile only wraps go commands: `go build ./...` and `go test ./...`
# work without it.
GO       ?= go
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -s -w -X main.version=$(VERSION)
BIN      := bin
STORE    ?= $(HOME)/.claude/dashboard

.PHONY: all build install test test-short bench lint fuzz run demo clean

all: build

build:
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN)/ ./cmd/...

install:
	$(GO) install -trimpath -ldflags '$(LDFLAGS)' ./cmd/...

# lint, then every test under the race detector. A race-built binary sleeps
# a second at exit unless told not to (GORACE atexit_sleep_ms), and the
# end-to-end tests start the test binary as sess-manage thousands of times.
test: lint
	GORACE=atexit_sleep_ms=0 $(GO) test -race -count=1 ./...

test-short:
	$(GO) test -short ./...

lint:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$unformatted" ]; then echo "gofmt -l lists:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...

# Go benchmarks of the store on generated stores, then bench/scale.sh:
# add-event, create-session, list-sessions and overview as whole processes on
# 10,000, 50,000 and 100,000 sessions and on 5,000 with 500-character intents
# (a Markdown table on stdout). Its first run generates about 1.4 GB of stores
# into ~/.cache/sess-bench and takes a few minutes; SCALE=0 skips it, and
# SIZES, RUNS and CACHE are passed on (make bench SIZES="1000 2000 1000:500").
# bench/hooks.sh times sess-hook on every event it records on 10,000
# sessions against the journal's bounds (HOOKS=0 skips it); bench/search.sh
# times sess-manage search there (SEARCH=0 skips it).
# See bench/ for the side-by-side comparison with the original.
SCALE ?= 1
HOOKS ?= 1
SEARCH ?= 1
bench:
	$(GO) test -run '^$$' -bench . -benchmem -benchtime 20x ./pkg/store/
	@if [ '$(HOOKS)' != 0 ]; then bench/hooks.sh; fi
	@if [ '$(SEARCH)' != 0 ]; then bench/search.sh; fi
	@if [ '$(SCALE)' != 0 ]; then bench/scale.sh; fi

# A short fuzzing pass over every fuzz target.
fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzParseTime$$' -fuzztime 20s ./pkg/session/
	$(GO) test -run '^$$' -fuzz '^FuzzPatterns$$' -fuzztime 20s ./pkg/session/
	$(GO) test -run '^$$' -fuzz '^FuzzDecodeSession$$' -fuzztime 20s ./pkg/store/
	$(GO) test -run '^$$' -fuzz '^FuzzDecodeSessionFast$$' -fuzztime 20s ./pkg/store/
	$(GO) test -run '^$$' -fuzz '^FuzzDecodeIndex$$' -fuzztime 20s ./pkg/store/internal/index/
	$(GO) test -run '^$$' -fuzz '^FuzzSpliceIndex$$' -fuzztime 20s ./pkg/store/internal/index/
	$(GO) test -run '^$$' -fuzz '^FuzzEncodeEntry$$' -fuzztime 20s ./pkg/store/internal/index/
	$(GO) test -run '^$$' -fuzz '^FuzzQuickSplice$$' -fuzztime 20s ./pkg/store/internal/index/
	$(GO) test -run '^$$' -fuzz '^FuzzDecodeEntriesWith$$' -fuzztime 20s ./pkg/store/internal/index/
	$(GO) test -run '^$$' -fuzz '^FuzzFastMarshal$$' -fuzztime 20s ./pkg/store/
	$(GO) test -run '^$$' -fuzz '^FuzzAppendJSONString$$' -fuzztime 20s ./pkg/store/internal/codec/
	$(GO) test -run '^$$' -fuzz '^FuzzNormalize$$' -fuzztime 20s ./internal/cli/
	$(GO) test -run '^$$' -fuzz '^FuzzRead$$' -fuzztime 20s ./internal/hookio/
	$(GO) test -run '^$$' -fuzz '^FuzzRecallFrontMatter$$' -fuzztime 20s ./pkg/export/
	$(GO) test -run '^$$' -fuzz '^FuzzSessionMarkdown$$' -fuzztime 20s ./pkg/export/
	$(GO) test -run '^$$' -fuzz '^FuzzBrief$$' -fuzztime 20s ./pkg/export/
	$(GO) test -run '^$$' -fuzz '^FuzzDecodeBase$$' -fuzztime 20s ./internal/search/
	$(GO) test -run '^$$' -fuzz '^FuzzWords$$' -fuzztime 20s ./internal/search/
	$(GO) test -run '^$$' -fuzz '^FuzzRead$$' -fuzztime 20s ./internal/transcript/

# The main job: the dashboard over the default store.
run: build
	$(BIN)/sess-serve --dashboard-dir '$(STORE)'

# The dashboard over a generated demo store in a temp folder.
demo: build
	@demo=$$(mktemp -d); $(GO) run ./bench/genstore -n 200 -o "$$demo/dashboard" && \
	$(BIN)/sess-serve --dashboard-dir "$$demo/dashboard"

clean:
	rm -rf $(BIN)
