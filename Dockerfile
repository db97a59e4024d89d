# Cairn in a container: `docker compose up` runs it on PostgreSQL.
FROM rust:1.95-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked -p cairn-server

FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /src/target/release/cairn /usr/local/bin/cairn
WORKDIR /var/lib/cairn
ENV CAIRN_SERVER__HOST=0.0.0.0 \
    DATABASE_URL=sqlite:///var/lib/cairn/data/cairn.db
VOLUME /var/lib/cairn/data
EXPOSE 1337
ENTRYPOINT ["cairn"]
CMD ["serve"]
