// The dialect a config asks for. ShipStation's v1 API is the only one until API v2 lands (issue #23), which adds
// `api_version` to the config and chooses here.
import type { Config } from '../config.js';
import type { Dialect } from './dialect.js';
import { v1 } from './v1.js';

export function dialectFor(_config: Config): Dialect {
  return v1;
}
