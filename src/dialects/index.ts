// The dialect a config asks for: its `api_version`, chosen in config.ts from the credentials when not set.
import type { Config } from '../config.js';
import { ConfigError } from '../errors.js';
import type { Dialect } from './dialect.js';
import { v1 } from './v1.js';

export function dialectFor(config: Config): Dialect {
  if (config.apiVersion === 'v1') return v1;
  throw new ConfigError('api_version v2 is not supported by this version of the connector');
}
