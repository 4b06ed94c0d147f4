# Build stage: bundle the connector into one file with the dev toolchain (esbuild, scripts/bundle.mjs).
FROM node:22-alpine AS build
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY scripts/bundle.mjs ./scripts/
COPY src ./src
RUN node scripts/bundle.mjs

# Runtime stage: the bundle, its source map and licences, the spec and schemas; no node_modules, non-root.
FROM node:22-alpine
WORKDIR /airbyte/integration_code
COPY --from=build /build/dist/shipstation-source.js /build/dist/shipstation-source.js.map /build/dist/THIRD_PARTY_LICENSES ./dist/
COPY package.json spec.json ./
COPY schemas ./schemas
USER node
# The entry point is the bundle run as a program: its first lines start node with the heap caps (the live heap
# of a sync is ~20 MB whatever the account's size; the caps make V8 collect before RSS grows) and pass every
# argument on (see scripts/bundle.mjs).
ENV AIRBYTE_ENTRYPOINT="/airbyte/integration_code/dist/shipstation-source.js"
ENTRYPOINT ["/airbyte/integration_code/dist/shipstation-source.js"]
LABEL io.airbyte.name=shipstation-source/source-shipstation
LABEL io.airbyte.version=0.1.0
LABEL org.opencontainers.image.version=0.1.0
