import { describe, expect, test } from '@jest/globals';
import type { Logger } from '../../src/protocol/logger.js';
import { createQuirkNormalizer, QUIRKS } from '../../src/streams/quirks.js';
import { loadStreamSchema } from '../../src/streams/schemas.js';

function recordingLogger(): Logger & { infos: string[]; warnings: string[] } {
  const infos: string[] = [];
  const warnings: string[] = [];
  return {
    infos,
    warnings,
    debug() {},
    info: (m) => void infos.push(m),
    warn: (m) => void warnings.push(m),
    error() {},
  };
}

const normalizer = (stream: string, logger = recordingLogger()) => ({
  logger,
  normalize: createQuirkNormalizer(stream, loadStreamSchema(stream), logger, QUIRKS),
});

describe('createQuirkNormalizer', () => {
  test('each quirk value becomes its declared type; declared values and nulls are left alone', () => {
    const { normalize } = normalizer('warehouses');
    const quirky: Record<string, unknown> = {
      originAddress: { residential: 'TRUE' },
      returnAddress: { residential: '' },
      registerFedexMeter: ' false ',
      sellerIntegrationId: '1234',
    };
    normalize(quirky);
    expect(quirky).toEqual({
      originAddress: { residential: true },
      returnAddress: { residential: null },
      registerFedexMeter: false,
      sellerIntegrationId: 1234,
    });
    const clean: Record<string, unknown> = {
      originAddress: { residential: false },
      returnAddress: null,
      registerFedexMeter: null,
      sellerIntegrationId: 7,
    };
    normalize(clean);
    expect(clean).toEqual({
      originAddress: { residential: false },
      returnAddress: null,
      registerFedexMeter: null,
      sellerIntegrationId: 7,
    });
  });

  test('lists: "" is the empty list; a one-category list is that category', () => {
    const customers = normalizer('customers').normalize;
    const customer: Record<string, unknown> = { tags: '' };
    customers(customer);
    expect(customer.tags).toEqual([]);
    const products = normalizer('products').normalize;
    const one: Record<string, unknown> = { productCategory: [{ categoryId: 1, name: 'Toys' }], tags: '' };
    products(one);
    expect(one).toEqual({ productCategory: { categoryId: 1, name: 'Toys' }, tags: [] });
    const none: Record<string, unknown> = { productCategory: [] };
    products(none);
    expect(none.productCategory).toBeNull();
  });

  test('a normalised quirk is one INFO per field for the life of the normalizer (no warning), saying what came and what was emitted', () => {
    const { logger, normalize } = normalizer('customers');
    for (let i = 0; i < 3; i++) normalize({ tags: '' });
    expect(logger.infos).toEqual([
      'customers: tags held "" where the schema declares array; emitted [] (reported once per field and sync)',
    ]);
    expect(logger.warnings).toEqual([]);
    const next = normalizer('customers');
    next.normalize({ tags: '' });
    expect(next.logger.infos).toHaveLength(1);
  });

  test('a value with no lossless form of the declared type passes unchanged, reported once', () => {
    const { logger, normalize } = normalizer('products');
    const two = [{ categoryId: 1 }, { categoryId: 2 }];
    const record: Record<string, unknown> = { productCategory: two, tags: 'vip' };
    normalize(record);
    normalize({ productCategory: [{}, {}] });
    expect(record).toEqual({ productCategory: two, tags: 'vip' });
    expect(logger.warnings).toEqual([
      'products: tags held "vip", which the schema\'s array cannot hold without loss; passed through unchanged (reported once per field and sync)',
      'products: productCategory held [{"categoryId":1},{"categoryId":2}], which the schema\'s object cannot hold without loss; passed through unchanged (reported once per field and sync)',
    ]);
  });

  test('absent fields and parents are no quirk; a stream without quirks gets a no-op', () => {
    const { logger, normalize } = normalizer('orders');
    const record: Record<string, unknown> = { orderId: 1, shipTo: 'odd' };
    normalize(record);
    normalize({ orderId: 2 });
    expect(record).toEqual({ orderId: 1, shipTo: 'odd' });
    expect(logger.warnings).toEqual([]);
    const tags: Record<string, unknown> = { tagId: 1, name: '' };
    normalizer('tags').normalize(tags);
    expect(tags).toEqual({ tagId: 1, name: '' });
  });
});
