# Build stage: compile TypeScript with the dev toolchain.
FROM node:22-alpine AS build
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# Runtime stage: production dependencies only, non-root.
FROM node:22-alpine
WORKDIR /airbyte/integration_code
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY --from=build /build/dist ./dist
COPY spec.json ./
COPY schemas ./schemas
USER node
# The live heap of a sync is ~20 MB whatever the account's size; these caps make V8 collect before it grows
# (peak RSS ~130 MB instead of ~190 MB, at a few % more CPU; see README, Performance).
ENV AIRBYTE_ENTRYPOINT="node --max-old-space-size=128 --max-semi-space-size=4 /airbyte/integration_code/dist/bin/shipstation-source.js"
ENTRYPOINT ["node", "--max-old-space-size=128", "--max-semi-space-size=4", "/airbyte/integration_code/dist/bin/shipstation-source.js"]
LABEL io.airbyte.name=shipstation-source/source-shipstation
LABEL io.airbyte.version=0.1.0
