# syntax=docker/dockerfile:1
# One image for the api, the worker and the CLI (migrations, first admin); compose picks the command.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm install --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000
WORKDIR /app
# pg_dump/pg_restore for the CLI's backup and restore, from PostgreSQL's own repository: their
# major version must be the server's (docker-compose.yml: postgres:16) or newer.
ARG PG_MAJOR=16
RUN apt-get update && apt-get install -y --no-install-recommends tini postgresql-common \
  && /usr/share/postgresql-common/pgdg/apt.postgresql.org.sh -y \
  && apt-get install -y --no-install-recommends postgresql-client-${PG_MAJOR} \
  && rm -rf /var/lib/apt/lists/*
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# Evidence files live on a volume mounted here (EVIDENCE_DIR); the app user must own it.
RUN mkdir -p /var/lib/rectify/evidence && chown -R node:node /var/lib/rectify
ENV EVIDENCE_DIR=/var/lib/rectify/evidence
USER node
EXPOSE 3000
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "dist/apps/api/src/main.js"]
