# Communs node: a static binary on a distroless base, run as a non-root user.
#   docker build -t communs:local .
#   docker run --rm -p 127.0.0.1:8080:8080 communs:local serve --demo --addr 0.0.0.0:8080 --base-url http://127.0.0.1:8080 --data /data
FROM golang:1.26-bookworm AS build
ENV GOTOOLCHAIN=local CGO_ENABLED=0
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN go build -trimpath -ldflags="-s -w -X main.version=${VERSION}" -o /out/communs ./cmd/communs \
 && mkdir -p /out/data /out/shared

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/communs /communs
# Named volumes mounted here start owned by the non-root user (65532).
COPY --from=build --chown=65532:65532 /out/data /data
COPY --from=build --chown=65532:65532 /out/shared /shared
USER 65532:65532
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=3 \
  CMD ["/communs", "federation", "health", "--node", "http://127.0.0.1:8080"]
ENTRYPOINT ["/communs"]
CMD ["serve", "--addr", "0.0.0.0:8080", "--base-url", "http://127.0.0.1:8080", "--data", "/data"]
