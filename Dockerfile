# One image for both processes: `docker run IMAGE` runs a chat node, `docker run IMAGE balancer`
# the balancer. Build: docker build -t pekko-chat:latest .

# ---- build: Maven and JDK 17, with Node 20 for the web client (built into chat-node.jar) ----
FROM node:20-bookworm-slim AS node

FROM maven:3.9-eclipse-temurin-17 AS build
COPY --from=node /usr/local/bin/node /usr/local/bin/node
COPY --from=node /usr/local/lib/node_modules /usr/local/lib/node_modules
RUN ln -s /usr/local/lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && ln -s /usr/local/lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx
WORKDIR /src
COPY . .
RUN mvn -B -q -pl chat-http,chat-balancer -am package -DskipTests

# ---- runtime: a JRE, the two jars, the one start script and its JVM options ----
FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 chat \
 && useradd --system --uid 10001 --gid chat --home-dir /var/lib/pekko-chat --create-home chat \
 && apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
WORKDIR /opt/pekko-chat
COPY --from=build /src/chat-http/target/chat-node.jar /src/chat-balancer/target/chat-balancer.jar ./
COPY bin/pekko-chat bin/jvm-options bin/
# In a container every process listens on all interfaces; PROTOCOL.md's defaults are loopback.
ENV CHAT_HTTP_HOST=0.0.0.0 \
    CHAT_HTTP_PORT=8080 \
    CHAT_CLUSTER_PORT=2551 \
    CHAT_DATA_DIR=/var/lib/pekko-chat \
    BALANCER_HOST=0.0.0.0 \
    BALANCER_PORT=8000
USER chat
VOLUME /var/lib/pekko-chat
EXPOSE 8080 2551 8000
# A node is healthy when it takes traffic (/readyz); the balancer has no /readyz and overrides this
# (docker-compose.yml, deploy/k8s) with /balancer/status.
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD curl -fsS "http://127.0.0.1:${CHAT_HTTP_PORT}/readyz" || exit 1
ENTRYPOINT ["/opt/pekko-chat/bin/pekko-chat"]
CMD ["node"]
