// check: one cheap request with the configured credentials. Returns null on success, else the sentence
// to show (the same words read uses for the same failure).
import { connectionOptions, type Config } from '../../config.js';
import { asConnectorError } from '../../errors.js';
import type { Logger } from '../../protocol/logger.js';
import { createShipStationClient } from '../../shipstation/client.js';
import type { Dialect } from '../../dialects/dialect.js';

export async function runCheck(config: Config, dialect: Dialect, logger: Logger): Promise<string | null> {
  const client = createShipStationClient({
    ...connectionOptions(config),
    maxConcurrent: 1,
    // A check should answer in seconds, not ride out a long outage.
    maxRetryTimeMs: Math.min(config.maxRetryMs, 10_000),
    logger,
  });
  try {
    await client.getJson(dialect.checkPath);
    return null;
  } catch (err) {
    return asConnectorError(err).message;
  } finally {
    await client.close();
  }
}
