// Record shapes of ShipStation API v2 as the simulator serves them. Field names, their order and which can be null
// follow ShipStation's OpenAPI file (shipstation/mcp-shipstation-api `openapi.yaml`, schemas named beside each type);
// fulfillments, unpublished there, follow the docs' field list (see README.md, v2 assumptions). Dates are ISO 8601
// UTC strings whose fraction length varies.

/** `monetary_value` */
export interface V2Money {
  currency: string;
  amount: number;
}

/** `weight` (the schema's `weight_unit`) */
export interface V2Weight {
  value: number;
  unit: 'pound' | 'ounce' | 'gram' | 'kilogram';
}

/** `dimensions` */
export interface V2Dimensions {
  unit: 'inch' | 'centimeter';
  length: number;
  width: number;
  height: number;
}

/** `address`: name, phone, address_line1, city_locality, state_province, postal_code, country_code required. */
export interface V2Address {
  name: string;
  phone: string;
  email: string | null;
  company_name: string | null;
  address_line1: string;
  address_line2: string | null;
  address_line3: string | null;
  city_locality: string;
  state_province: string;
  postal_code: string;
  country_code: string;
  address_residential_indicator: 'unknown' | 'yes' | 'no';
}

/** `shipping_address` and `shipping_address_to` (the latter's optional `geolocation` is never sent). */
export interface V2ShippingAddress extends V2Address {
  instructions: string | null;
}

export interface V2Option {
  name: string;
  value: string;
}

/** `shipment_item`: nothing is required; `item_id` is nullable (and so is the order item id). */
export interface V2ShipmentItem {
  name: string;
  sales_order_id: string | null;
  sales_order_item_id: string | null;
  quantity: number;
  sku: string | null;
  bundle_sku: string | null;
  external_order_id: string | null;
  external_order_item_id: string | null;
  asin: string | null;
  order_source_code: string | null;
  item_id: string | null;
  allocation_status: string | null;
  image_url: string | null;
  weight: V2Weight;
  unit_price: number | null;
  tax_amount: number | null;
  shipping_amount: number | null;
  inventory_location: string | null;
  options: V2Option[];
  product_id: string | null;
  /** Spelled so in the OpenAPI file. */
  fullfilment_sku: string | null;
  upc: string | null;
}

export interface V2LabelMessages {
  reference1: string | null;
  reference2: string | null;
  reference3: string | null;
}

/** `package` (of a shipment) */
export interface V2ShipmentPackage {
  shipment_package_id: string;
  package_id: string | null;
  package_code: string;
  package_name: string;
  weight: V2Weight;
  dimensions: V2Dimensions;
  insured_value: V2Money;
  label_messages: V2LabelMessages;
  external_package_id: string | null;
  content_description: string | null;
  products: unknown[];
}

export interface V2CustomsItem {
  description: string;
  quantity: number;
  value: V2Money;
  harmonized_tariff_code: string | null;
  country_of_origin: string | null;
  sku: string | null;
}

/** `international_shipment_options`: contents and non_delivery required. */
export interface V2Customs {
  contents: string;
  non_delivery: string;
  customs_items: V2CustomsItem[];
}

/** `advanced_shipment_options` (the fields the simulator fills). */
export interface V2AdvancedOptions {
  bill_to_account: string | null;
  bill_to_country_code: string | null;
  bill_to_party: string | null;
  bill_to_postal_code: string | null;
  contains_alcohol: boolean;
  delivered_duty_paid: boolean;
  dry_ice: boolean;
  dry_ice_weight: V2Weight | null;
  non_machinable: boolean;
  saturday_delivery: boolean;
  custom_field1: string | null;
  custom_field2: string | null;
  custom_field3: string | null;
}

export interface V2Tag {
  name: string;
}

export type V2ShipmentStatus = 'pending' | 'processing' | 'label_purchased' | 'cancelled';

/**
 * `shipment` (= `partial_shipment` with shipment_id, created_at, modified_at, shipment_status, ship_to, ship_from,
 * return_to, confirmation, advanced_options, insurance_provider, tags, packages, total_weight required): a v1 order.
 */
export interface V2Shipment {
  shipment_id: string;
  carrier_id: string | null;
  service_code: string | null;
  requested_shipment_service: string | null;
  shipping_rule_id: string | null;
  external_order_id: string | null;
  hold_until_date: string | null;
  ship_by_date: string | null;
  retail_rate: V2Money | null;
  store_id: string | null;
  items: V2ShipmentItem[];
  notes_from_buyer: string | null;
  notes_for_gift: string | null;
  is_gift: boolean;
  assigned_user: string | null;
  amount_paid: V2Money;
  shipping_paid: V2Money;
  tax_paid: V2Money;
  zone: number | null;
  display_scheme: string | null;
  tax_identifiers: unknown[] | null;
  external_shipment_id: string | null;
  shipment_number: string | null;
  ship_date: string | null;
  created_at: string;
  modified_at: string;
  shipment_status: V2ShipmentStatus;
  ship_to: V2ShippingAddress;
  ship_from: V2ShippingAddress;
  warehouse_id: string | null;
  return_to: V2ShippingAddress;
  is_return: boolean | null;
  confirmation: string;
  customs: V2Customs | null;
  advanced_options: V2AdvancedOptions;
  insurance_provider: 'none' | 'shipsurance' | 'carrier' | 'third_party';
  tags: V2Tag[];
  order_source_code: string | null;
  packages: V2ShipmentPackage[];
  total_weight: V2Weight;
  comparison_rate_type: string | null;
}

export interface V2LabelDownload {
  href: string;
  pdf: string;
  png: string;
  zpl: string;
}

/** `label_package` (package_id is an integer there). */
export interface V2LabelPackage {
  package_id: number;
  package_code: string;
  weight: V2Weight;
  dimensions: V2Dimensions;
  insured_value: V2Money;
  tracking_number: string;
  label_messages: V2LabelMessages;
  external_package_id: string | null;
  content_description: string | null;
  sequence: number;
  has_label_documents: boolean;
  has_form_documents: boolean;
  has_qr_code_documents: boolean;
  has_paperless_label_documents: boolean;
  alternative_identifiers: unknown[] | null;
}

export type V2LabelStatus = 'processing' | 'completed' | 'error' | 'voided';

/** `label` with the fields `create_label_response_body` requires, in the schema's order: a v1 shipment. */
export interface V2Label {
  label_id: string;
  status: V2LabelStatus;
  shipment_id: string;
  external_shipment_id: string | null;
  external_order_id: string | null;
  ship_date: string;
  created_at: string;
  shipment_cost: V2Money;
  insurance_cost: V2Money;
  tracking_number: string;
  is_return_label: boolean;
  rma_number: string | null;
  is_international: boolean;
  batch_id: string | null;
  carrier_id: string;
  charge_event: 'carrier_default' | 'on_creation' | 'on_carrier_acceptance';
  service_code: string;
  package_code: string;
  voided: boolean;
  voided_at: string | null;
  label_format: 'pdf' | 'png' | 'zpl';
  display_scheme: string;
  label_layout: '4x6' | 'letter';
  trackable: boolean;
  label_image_id: string | null;
  carrier_code: string;
  confirmation: string;
  tracking_status: 'unknown' | 'in_transit' | 'error' | 'delivered';
  label_download: V2LabelDownload;
  form_download: { href: string } | null;
  qr_code_download: { href: string } | null;
  paperless_download: { href: string; instructions: string | null; handoff_code: string | null } | null;
  insurance_claim: { href: string } | null;
  packages: V2LabelPackage[];
  alternative_identifiers: unknown[] | null;
  rate_details: {
    rate_detail_type: string;
    carrier_description: string;
    carrier_billing_code: string;
    carrier_memo: string | null;
    amount: V2Money;
    billing_source: string;
  }[];
  tracking_url: string | null;
  ship_to: V2ShippingAddress;
}

/** A fulfillment (unpublished in the OpenAPI file: field list from the docs, see README.md). */
export interface V2Fulfillment {
  fulfillment_id: string;
  shipment_id: string;
  shipment_number: string;
  user_id: string;
  tracking_number: string;
  created_at: string;
  ship_date: string;
  voided_at: string | null;
  delivered_at: string | null;
  fulfillment_carrier_friendly_name: string;
  fulfillment_provider_id: string | null;
  fulfillment_provider_friendly_name: string | null;
  fulfillment_provider_code: string | null;
  fulfillment_service_code: string | null;
  fulfillment_fee: V2Money;
  void_requested: boolean;
  voided: boolean;
  order_source_notified: boolean;
  notification_error_message: string | null;
  ship_to: V2ShippingAddress;
}

/** A product of GET /v2/products (inline schema in the OpenAPI file). */
export interface V2Product {
  product_id: number;
  sku: string;
  name: string;
  upc: string | null;
  thumbnail_url: string | null;
  price: V2Money;
  dimensions: V2Dimensions | null;
  weight: V2Weight;
  internal_notes: string | null;
  fulfillment_sku: string | null;
  create_date: string;
  modify_date: string;
  active: boolean;
  product_category: { product_category_id: number; name: string } | null;
  preset_group: string | null;
  warehouse_location: string | null;
  default_carrier_code: string | null;
  default_service_code: string | null;
  default_package_code: string | null;
  default_intl_carrier_code: string | null;
  default_intl_service_code: string | null;
  default_intl_package_code: string | null;
  default_confirmation: string | null;
  default_intl_confirmation: string | null;
  customs_description: string | null;
  customs_value: number | null;
  customs_tariff_no: string | null;
  customs_country_code: string | null;
  no_customs: boolean;
  tags: { tag_id: number; name: string; color: string }[] | null;
  aliases: { store_id: number; sku_alias: string }[] | null;
  product_type: string | null;
  is_returnable: boolean;
  should_override_name: boolean | null;
  is_bundle: boolean | null;
  bundle_components: unknown[] | null;
  auto_split_option: string;
  auto_split_custom_quantity: number | null;
}

/** A user of GET /v2/users (inline schema; its example dates are date-only). */
export interface V2User {
  user_id: string;
  name: string;
  username: string;
  email: string;
  status: string;
  last_login_at: string;
  created_at: string;
}

/** `warehouse` (required by get_warehouse_by_id: warehouse_id, name, created_at, origin_address, return_address). */
export interface V2Warehouse {
  warehouse_id: string;
  is_default: boolean | null;
  name: string;
  created_at: string;
  origin_address: V2Address;
  return_address: V2Address;
}

/** `service` */
export interface V2CarrierService {
  carrier_id: string;
  carrier_code: string;
  service_code: string;
  name: string;
  domestic: boolean;
  international: boolean;
  is_multi_package_supported: boolean;
}

/** `package_type` (name and package_code required). */
export interface V2PackageType {
  package_id: string | null;
  package_code: string;
  name: string;
  dimensions: V2Dimensions | null;
  description: string | null;
}

/** `carrier` */
export interface V2Carrier {
  carrier_id: string;
  carrier_code: string;
  account_number: string;
  requires_funded_amount: boolean;
  balance: number;
  nickname: string;
  friendly_name: string;
  funding_source_id: string | null;
  primary: boolean;
  has_multi_package_supporting_services: boolean;
  supports_label_messages: boolean;
  disabled_by_billing_plan: boolean;
  services: V2CarrierService[];
  packages: V2PackageType[];
  options: { name: string; default_value: string; description: string }[];
}

export type V2WebhookEvent =
  | 'batch'
  | 'carrier_connected'
  | 'order_source_refresh_complete'
  | 'rate'
  | 'report_complete'
  | 'sales_orders_imported'
  | 'track';

/** `webhook` */
export interface V2Webhook {
  webhook_id: string;
  url: string;
  event: V2WebhookEvent;
  headers: { key: string; value: string }[];
}

export interface V2OptionalLink {
  href?: string;
}

/** `batch` (every field required there). */
export interface V2Batch {
  label_layout: '4x6' | 'letter';
  label_format: 'pdf' | 'png' | 'zpl';
  batch_id: string;
  batch_number: string;
  external_batch_id: string | null;
  batch_notes: string | null;
  created_at: string;
  processed_at: string | null;
  errors: number;
  process_errors: unknown[];
  warnings: number;
  completed: number;
  forms: number;
  count: number;
  batch_shipments_url: V2OptionalLink;
  batch_labels_url: V2OptionalLink;
  batch_errors_url: V2OptionalLink;
  label_download: Partial<V2LabelDownload>;
  form_download: V2OptionalLink;
  paperless_download: { href?: string; instructions: string | null; handoff_code: string | null };
  status:
    | 'open'
    | 'queued'
    | 'processing'
    | 'completed'
    | 'completed_with_errors'
    | 'archived'
    | 'notifying'
    | 'invalid';
}

/** `manifest` (get_manifest_by_id requires all but form_id). */
export interface V2Manifest {
  manifest_id: string;
  form_id: string;
  created_at: string;
  ship_date: string;
  shipments: number;
  label_ids: string[];
  warehouse_id: string;
  submission_id: string;
  carrier_id: string;
  manifest_download: { href: string };
}

/** `pickup` */
export interface V2Pickup {
  pickup_id: string;
  label_ids: string[];
  created_at: string;
  cancelled_at: string | null;
  carrier_id: string;
  confirmation_number: string | null;
  warehouse_id: string;
  pickup_address: V2Address;
  contact_details: { name: string; email: string; phone: string };
  pickup_notes: string;
  pickup_windows: { start_at: string; end_at: string }[];
}

/** An inventory warehouse (inline schema). */
export interface V2InventoryWarehouse {
  inventory_warehouse_id: string;
  name: string;
  created_at: string;
  updated_at: string;
}

/** An inventory location (inline schema). */
export interface V2InventoryLocation {
  inventory_location_id: string;
  name: string;
  inventory_warehouse_id: string;
  created_at: string;
  updated_at: string;
}

export type V2Record =
  | V2Shipment
  | V2Label
  | V2Fulfillment
  | V2Product
  | V2User
  | V2Warehouse
  | V2Carrier
  | V2PackageType
  | V2Tag
  | V2Webhook
  | V2Batch
  | V2Manifest
  | V2Pickup
  | V2InventoryWarehouse
  | V2InventoryLocation;
