# The README's two commands are `make run` and `make test`; everything else here serves them.
GO      ?= go
# nomsgpack drops a codec gin does not need here, and a minute of cold compile time.
TAGS    := nomsgpack
GOFLAGS := -tags=$(TAGS)

.PHONY: run test build assets vet fmt-check lint-api fuzz clean

## run: build the web pages, then start the service on ./skillsurvey.db; the first time, on an empty
## database, it builds the demonstration department (three waves of synthetic answers) and an admin
## account, and prints how to sign in and where the dashboard is; later runs leave the data alone
run: assets
	$(GO) run $(GOFLAGS) . serve --demo

## test: every check CI runs: formatting, vet, the OpenAPI linters and all tests with the race detector
## (on PostgreSQL too when SKILLSURVEY_TEST_POSTGRES names a database: see docs/storage.md)
test: assets fmt-check vet lint-api
	@[ -n "$$SKILLSURVEY_TEST_POSTGRES" ] || echo "WARNING: SKILLSURVEY_TEST_POSTGRES is not set: the PostgreSQL tests are SKIPPED (see docs/storage.md; .ci/run sets it)" >&2
	$(GO) test $(GOFLAGS) -race -count=1 ./...

## fuzz: run each fuzzer for FUZZTIME, one after another (never part of test; their seeds and any
## crasher kept under testdata/fuzz run in every go test)
FUZZTIME ?= 3m
# Go shrinks every new interesting input for up to 60s by default, which would take most of a few
# minutes; a crasher is shrunk for at most this long too, before it is written to testdata/fuzz.
FUZZMINIMIZETIME ?= 10s
FUZZ = $(GO) test $(GOFLAGS) -run '^$$' -fuzztime $(FUZZTIME) -fuzzminimizetime $(FUZZMINIMIZETIME)
fuzz:
	$(FUZZ) -fuzz '^FuzzParse$$' ./internal/survey/
	$(FUZZ) -fuzz '^FuzzCheckAnswers$$' ./internal/survey/
	$(FUZZ) -fuzz '^FuzzRead$$' ./internal/hierarchy/
	$(FUZZ) -fuzz '^FuzzDecodeSubmission$$' ./api/

build: assets
	CGO_ENABLED=1 $(GO) build $(GOFLAGS) -o skillsurvey .

## assets: install the front-end packages (when the lock file changed) and build static/dist
assets: static/node_modules/.installed
	cd static && npm run --silent build

static/node_modules/.installed: static/package.json static/package-lock.json
	cd static && npm ci --no-audit --no-fund
	touch $@

vet:
	$(GO) vet $(GOFLAGS) ./...

fmt-check:
	@out=$$(gofmt -l $$(find . -name '*.go' -not -path './static/node_modules/*')); \
	if [ -n "$$out" ]; then echo "gofmt needed on:"; echo "$$out"; exit 1; fi

## lint-api: check api/openapi.yaml with Redocly (its recommended rules, static/redocly.yaml) and
## Spectral (the OWASP API security rules, static/.spectral.yaml); an error fails, warnings are shown
lint-api: static/node_modules/.installed
	cd static && REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true \
		./node_modules/.bin/redocly lint --config redocly.yaml --format stylish ../api/openapi.yaml
	cd static && ./node_modules/.bin/spectral lint --ruleset .spectral.yaml --fail-severity error \
		--display-only-failures ../api/openapi.yaml

clean:
	rm -f skillsurvey skillsurvey.db skillsurvey.db-wal skillsurvey.db-shm
