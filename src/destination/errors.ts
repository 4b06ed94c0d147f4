// The destination's expected failures (bad input, catalog or file): the commands print their message and exit 1,
// while any other error is a bug and keeps its stack. Apart from the DuckDB module so no destination needs it.
export class DestinationError extends Error {}
