// Word pools the record generators draw from.

export const FIRST_NAMES = [
  'Olivia',
  'Liam',
  'Emma',
  'Noah',
  'Ava',
  'Elijah',
  'Sophia',
  'James',
  'Isabella',
  'William',
  'Mia',
  'Lucas',
  'Amelia',
  'Mateo',
  'Harper',
  'Benjamin',
  'Evelyn',
  'Henry',
  'Camila',
  'Theodore',
  'Aaliyah',
  'Hiroshi',
  'Zoë',
  'José',
  'Siobhan',
  'Priya',
  'Mohammed',
  'Chen',
  'Olga',
  'Björn',
] as const;

export const LAST_NAMES = [
  'Smith',
  'Johnson',
  'Williams',
  'Brown',
  'Jones',
  'Garcia',
  'Miller',
  'Davis',
  'Rodriguez',
  'Martinez',
  'Hernandez',
  'Lopez',
  'Gonzalez',
  'Wilson',
  'Anderson',
  'Thomas',
  'Taylor',
  'Moore',
  'Jackson',
  'Martin',
  "O'Brien",
  'Nguyen',
  'Kowalski',
  'Müller',
  'Tanaka',
  'Patel',
  'Okafor',
  'Van der Berg',
] as const;

export const COMPANIES = [
  'Acme Corp',
  'Globex',
  'Initech',
  'Umbrella LLC',
  'Stark Industries',
  'Wayne Enterprises',
  'Hooli',
  'Vandelay Industries',
] as const;

export const STREET_NAMES = [
  'Main St',
  'Oak Ave',
  'Pine St',
  'Maple Dr',
  'Cedar Ln',
  'Elm St',
  'Lakeview Rd',
  'Sunset Blvd',
  'Exposition Blvd',
  'Lamar Blvd',
] as const;

export interface Locality {
  readonly city: string;
  readonly state: string;
  readonly postalCode: string;
  readonly country: string;
}

export const US_LOCALITIES: readonly Locality[] = [
  { city: 'Austin', state: 'TX', postalCode: '78703', country: 'US' },
  { city: 'AUSTIN', state: 'TX', postalCode: '78756-3602', country: 'US' },
  { city: 'Seattle', state: 'WA', postalCode: '98101', country: 'US' },
  { city: 'Portland', state: 'OR', postalCode: '97205', country: 'US' },
  { city: 'Los Angeles', state: 'CA', postalCode: '90012', country: 'US' },
  { city: 'San Francisco', state: 'CA', postalCode: '94103', country: 'US' },
  { city: 'Chicago', state: 'IL', postalCode: '60601', country: 'US' },
  { city: 'New York', state: 'NY', postalCode: '10001', country: 'US' },
  { city: 'Miami', state: 'FL', postalCode: '33101', country: 'US' },
  { city: 'Denver', state: 'CO', postalCode: '80202', country: 'US' },
  { city: 'Auburn', state: 'AL', postalCode: '36830', country: 'US' },
  { city: 'Washington', state: 'DC', postalCode: '20500', country: 'US' },
];

export const FOREIGN_LOCALITIES: readonly Locality[] = [
  { city: 'London', state: '', postalCode: 'NW1 6XE', country: 'GB' },
  { city: 'Toronto', state: 'ON', postalCode: 'M5V 2T6', country: 'CA' },
  { city: 'Sydney', state: 'NSW', postalCode: '2000', country: 'AU' },
  { city: 'Berlin', state: '', postalCode: '10115', country: 'DE' },
  { city: 'Ciudad de México', state: 'CDMX', postalCode: '06000', country: 'MX' },
];

export const ADDRESS_VERIFIED = [
  'Address validated successfully',
  'Address validation warning',
  'Address not yet validated',
  'Address validation failed',
] as const;

export interface CarrierService {
  readonly carrierCode: string;
  readonly serviceCode: string;
  readonly requested: string;
}

export const CARRIER_SERVICES: readonly CarrierService[] = [
  { carrierCode: 'stamps_com', serviceCode: 'usps_first_class_mail', requested: 'First Class Mail' },
  { carrierCode: 'stamps_com', serviceCode: 'usps_priority_mail', requested: 'Priority Mail' },
  { carrierCode: 'stamps_com', serviceCode: 'usps_priority_mail_international', requested: 'Priority Mail Int' },
  { carrierCode: 'fedex', serviceCode: 'fedex_home_delivery', requested: 'FedEx Home Delivery' },
  { carrierCode: 'fedex', serviceCode: 'fedex_2day', requested: 'FedEx 2Day' },
  { carrierCode: 'ups', serviceCode: 'ups_ground', requested: 'UPS Ground' },
  { carrierCode: 'ups', serviceCode: 'ups_next_day_air', requested: 'Next Day Air' },
  { carrierCode: 'ups_walleted', serviceCode: 'ups_worldwide_saver', requested: 'Worldwide Saver' },
];

export const PACKAGE_CODES = [
  'package',
  'flat_rate_envelope',
  'medium_flat_rate_box',
  'large_envelope_or_flat',
] as const;
export const CONFIRMATIONS = ['none', 'delivery', 'signature', 'adult_signature', 'direct_signature'] as const;
export const PAYMENT_METHODS = ['Credit Card', 'PayPal', 'Amazon Pay', 'Gift Card'] as const;
export const ORDER_SOURCES = ['Webstore', 'Amazon', 'eBay', 'Etsy', 'Phone'] as const;

export const CUSTOMER_NOTES = [
  'Please ship as soon as possible!',
  'Leave at the back door.',
  'Gift wrap please',
  '',
] as const;
export const INTERNAL_NOTES = [
  'Customer called to upgrade shipping',
  'Check stock before packing',
  'VIP customer',
] as const;

export const PRODUCT_ADJECTIVES = [
  'Classic',
  'Deluxe',
  'Organic',
  'Vintage',
  'Compact',
  'Ergonomic',
  'Handmade',
  'Waterproof',
  'Fine White Oak',
  'Elementary',
] as const;
export const PRODUCT_NOUNS = [
  'Coffee Mug',
  'Cane',
  'Disguise Kit',
  'Backpack',
  'Desk Lamp',
  'Tea Kettle',
  'Notebook',
  'Yoga Mat',
  'Door Closer',
  'Floor Mat',
  'Phone Case',
  'Candle',
] as const;
export const SKU_PREFIXES = ['ELE', 'CN', 'ABC', 'MUG', 'SQ', 'FX', 'ZZ', 'b2'] as const;
export const OPTION_VALUES: readonly { name: string; value: string }[] = [
  { name: 'Size', value: 'Large' },
  { name: 'Size', value: 'Small' },
  { name: 'Color', value: 'Blue' },
  { name: 'Color', value: 'Forest Green' },
];

export interface Category {
  readonly categoryId: number;
  readonly name: string;
}

export const PRODUCT_CATEGORIES: readonly Category[] = [
  { categoryId: 9999, name: 'Door Closers' },
  { categoryId: 9690, name: 'Floor Matting' },
  { categoryId: 9701, name: 'Kitchen' },
  { categoryId: 9702, name: 'Outdoor' },
];

export interface Tag {
  readonly tagId: number;
  readonly name: string;
}

export const TAGS: readonly Tag[] = [
  { tagId: 1234, name: 'Expedited' },
  { tagId: 9725, name: '00 BULK ORDERED' },
  { tagId: 9180, name: 'APItest' },
  { tagId: 4411, name: 'Wholesale' },
];

export interface Marketplace {
  readonly marketplaceId: number;
  readonly name: string;
}

export const MARKETPLACES: readonly Marketplace[] = [
  { marketplaceId: 0, name: 'ShipStation' },
  { marketplaceId: 36, name: 'WooCommerce' },
  { marketplaceId: 67, name: 'TradeGecko' },
  { marketplaceId: 2, name: 'Amazon' },
  { marketplaceId: 3, name: 'eBay' },
  { marketplaceId: 26, name: 'Shopify' },
  { marketplaceId: 19, name: 'Etsy' },
];

export const FULFILLMENT_PROVIDERS = ['amazon_fba', 'shipbob', 'rakuten_super_logistics'] as const;

/** Carriers an account has connected: every carrierCode of CARRIER_SERVICES, plus one more. */
export interface CarrierAccount {
  readonly code: string;
  readonly name: string;
  readonly requiresFundedAccount: boolean;
}

export const CARRIER_ACCOUNTS: readonly CarrierAccount[] = [
  { code: 'stamps_com', name: 'Stamps.com', requiresFundedAccount: true },
  { code: 'ups_walleted', name: 'UPS by ShipStation', requiresFundedAccount: true },
  { code: 'ups', name: 'UPS', requiresFundedAccount: false },
  { code: 'fedex', name: 'FedEx', requiresFundedAccount: false },
  { code: 'dhl_express', name: 'DHL Express', requiresFundedAccount: false },
];

/** Marketplaces ShipStation offers beyond the ones stores use (MARKETPLACES); ids are the simulator's own. */
export const MORE_MARKETPLACES: readonly Marketplace[] = [
  { marketplaceId: 8, name: 'Magento' },
  { marketplaceId: 40, name: 'BigCommerce' },
  { marketplaceId: 53, name: 'Walmart' },
  { marketplaceId: 71, name: 'Squarespace' },
  { marketplaceId: 88, name: 'Wix' },
];

export const TAG_COLORS = ['#FF0000', '#00A36C', '#1E90FF', '#FFA500', '#800080', '#808080'] as const;

export const WEBHOOK_EVENTS = [
  'ORDER_NOTIFY',
  'ITEM_ORDER_NOTIFY',
  'SHIP_NOTIFY',
  'ITEM_SHIP_NOTIFY',
  'FULFILLMENT_SHIPPED',
  'FULFILLMENT_REJECTED',
] as const;
