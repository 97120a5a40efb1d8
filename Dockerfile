# Proost in a container: built with the `dist` profile, run as a non-root user with its data
# in a volume. Build: docker build --build-arg PROOST_COMMIT=$(git rev-parse --short=12 HEAD) -t proost .
# Run:   docker run -p 8080:8080 -v proost-data:/var/lib/proost proost
FROM rust:1.95-bookworm AS build
WORKDIR /src
COPY . .
# `.git` is not copied in; the commit `proost --version` names comes from here.
ARG PROOST_COMMIT=unknown
ENV PROOST_COMMIT=${PROOST_COMMIT}
RUN cargo build --profile dist --locked --bin proost \
 && install -m 0755 target/dist/proost /proost

FROM debian:bookworm-slim
# ca-certificates: TLS to sources, SMTP and OpenID providers; curl: the health check.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --user-group --home-dir /var/lib/proost --create-home proost \
 && chmod 0700 /var/lib/proost
COPY --from=build /proost /usr/local/bin/proost
USER proost:proost
ENV PROOST_DATA_DIR=/var/lib/proost \
    PROOST_LISTEN=0.0.0.0:8080 \
    PROOST_LOG_FORMAT=json
VOLUME ["/var/lib/proost"]
EXPOSE 8080
# Ready means: app database reachable, migrations applied, keyring open, scheduler running.
# With --tls-self-signed, use: curl -kfsS https://127.0.0.1:8080/api/v1/ready
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD curl -fsS http://127.0.0.1:8080/api/v1/ready >/dev/null || exit 1
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/proost"]
CMD ["serve"]
