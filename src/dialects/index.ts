// The dialect a config asks for: its `api_version`, chosen in config.ts from the credentials when not set.
import type { Config } from '../config.js';
import type { Dialect } from './dialect.js';
import { v1 } from './v1.js';
import { v2 } from './v2.js';

export function dialectFor(config: Config): Dialect {
  return config.apiVersion === 'v2' ? v2 : v1;
}
