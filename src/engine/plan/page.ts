// What a page is to the planners: the request that asked for it and its rows, each reduced to its cursor value
// and primary key. The planners (keyset, slices, page chains) and the server checks share these shapes.

/** A primary key value the state and the destination can hold: a finite number or a non-empty string. */
export type RecordId = number | string;

export interface PageRequest {
  /** Lower bound sent to the server (wall ms, whole second); undefined = none. */
  from?: number;
  /** Upper bound sent to the server (wall ms, whole second); Infinity = none. */
  to: number;
  page: number;
  /** Rows asked for; undefined = the reader's page size. */
  size?: number;
}

export interface PageRow {
  value: number | null;
  id: RecordId;
}
