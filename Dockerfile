# syntax=docker/dockerfile:1
# news-annotator: one static-ish binary on distroless, non-root.
#
# Stages: chef (tooling) -> planner (dependency recipe) -> builder (dependencies, cached
# while Cargo.toml/Cargo.lock do not change; then the project) -> runtime.

ARG RUST_VERSION=1.95
FROM rust:${RUST_VERSION}-bookworm AS chef
RUN cargo install cargo-chef --locked --version 0.1.78
WORKDIR /app

FROM chef AS planner
COPY . .
RUN cargo chef prepare --recipe-path recipe.json

FROM chef AS builder
COPY --from=planner /app/recipe.json recipe.json
# Dependencies only: this layer is reused until the dependency set changes.
RUN cargo chef cook --release --locked --recipe-path recipe.json
COPY . .
RUN cargo build --release --locked --bin news-annotator \
 && cp target/release/news-annotator /news-annotator

# glibc and libgcc, nothing else: no shell, no package manager, no curl.
FROM gcr.io/distroless/cc-debian12:nonroot AS runtime
COPY --from=builder /news-annotator /news-annotator
USER nonroot:nonroot
ENV NEWS_ANNOTATOR_ADDR=0.0.0.0:8080 \
    NEWS_ANNOTATOR_LOG_FORMAT=json
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
  CMD ["/news-annotator", "healthcheck"]
ENTRYPOINT ["/news-annotator"]
CMD ["serve"]
