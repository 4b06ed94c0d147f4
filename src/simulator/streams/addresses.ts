// People and addresses shared by the stream generators: names, phones, localities and postal addresses with
// the mix of nulls and empty strings real ShipStation records carry, and the name-only billTo most orders have.
import {
  COMPANIES,
  FIRST_NAMES,
  FOREIGN_LOCALITIES,
  LAST_NAMES,
  STREET_NAMES,
  US_LOCALITIES,
  ADDRESS_VERIFIED,
  type Locality,
} from '../pools.js';
import type { Rng } from '../random.js';
import type { ApiAddress } from '../records.js';

export function personName(rng: Rng): string {
  return `${rng.pick(FIRST_NAMES)} ${rng.pick(LAST_NAMES)}`;
}

export function locality(rng: Rng, foreignShare: number): Locality {
  return rng.chance(foreignShare) ? rng.pick(FOREIGN_LOCALITIES) : rng.pick(US_LOCALITIES);
}

export function phone(rng: Rng): string {
  return rng.chance(0.5) ? `${rng.int(200, 989)}-555-${rng.digits(4)}` : `${rng.int(200, 989)}555${rng.digits(4)}`;
}

/** A full postal address with the nulls and empty strings real records carry. */
export function postalAddress(rng: Rng, name: string): ApiAddress {
  const place = locality(rng, 0.12);
  return {
    name,
    company: rng.chance(0.6) ? (rng.chance(0.5) ? '' : null) : rng.pick(COMPANIES),
    street1: `${rng.int(1, 9999)} ${rng.pick(STREET_NAMES)}`,
    street2: rng.chance(0.7) ? (rng.chance(0.5) ? '' : null) : `Apt ${rng.int(1, 400)}`,
    street3: null,
    city: place.city,
    state: place.state,
    postalCode: place.postalCode,
    country: place.country,
    phone: rng.chance(0.2) ? (rng.chance(0.5) ? '' : null) : phone(rng),
    residential: rng.chance(0.3) ? null : rng.chance(0.7),
    addressVerified: rng.chance(0.15) ? null : rng.pick(ADDRESS_VERIFIED),
  };
}

/** The common billTo: only the name is known, every other field null. */
export function nameOnlyAddress(name: string): ApiAddress {
  return {
    name,
    company: null,
    street1: null,
    street2: null,
    street3: null,
    city: null,
    state: null,
    postalCode: null,
    country: null,
    phone: null,
    residential: null,
    addressVerified: null,
  };
}
