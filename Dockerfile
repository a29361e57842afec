# Pages: GOV.UK Frontend and ECharts from the npm registry, built into static/dist.
FROM node:20-bookworm AS pages
WORKDIR /src/static
COPY static/package.json static/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY static/ ./
RUN npm run build

# Build: cgo stays on, because the SQLite driver (mattn/go-sqlite3) is C. The built pages are
# embedded in the binary.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
COPY --from=pages /src/static/dist/ static/dist/
RUN CGO_ENABLED=1 go build -tags nomsgpack -trimpath -ldflags="-s -w" -o /out/skillsurvey .

# Run: a small Debian with the C library the binary links against.
FROM debian:bookworm-slim
RUN useradd --system --home /data --create-home skillsurvey
COPY --from=build /out/skillsurvey /usr/local/bin/skillsurvey
WORKDIR /data
USER skillsurvey
# The shipped survey definitions are built into the binary; mount a folder and set
# SKILLSURVEY_DEFINITIONS to use your own.
# Listening beyond the container needs the address people use: the service checks every
# request's Host against it. Set SKILLSURVEY_PUBLIC_URL to yours (and SKILLSURVEY_TRUSTED_PROXIES
# to your proxy's address when one sits in front).
ENV SKILLSURVEY_DATABASE=/data/skillsurvey.db \
    SKILLSURVEY_LISTEN=0.0.0.0:8080 \
    SKILLSURVEY_PUBLIC_URL=http://localhost:8080
VOLUME /data
EXPOSE 8080
# Ready: the database answers and takes writes (GET /readyz, asked by the binary itself: the image
# has no curl).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 CMD ["skillsurvey", "health"]
ENTRYPOINT ["skillsurvey"]
CMD ["serve"]
