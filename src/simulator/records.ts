// Record shapes as the API returns them; field names and order follow the official examples
// (/work/shared/reference/examples). Datetimes are naive US Pacific strings.

export interface ApiAddress {
  name: string | null;
  company: string | null;
  street1: string | null;
  street2: string | null;
  street3: string | null;
  city: string | null;
  state: string | null;
  postalCode: string | null;
  country: string | null;
  phone: string | null;
  residential: boolean | null;
  addressVerified: string | null;
}

export type ApiShipmentAddress = Omit<ApiAddress, 'addressVerified'>;

export interface ApiWeight {
  value: number;
  units: string;
}

export interface ApiOption {
  name: string;
  value: string;
}

export interface ApiOrderItem {
  orderItemId: number;
  lineItemKey: string | null;
  sku: string;
  name: string;
  imageUrl: string | null;
  weight: ApiWeight;
  quantity: number;
  unitPrice: number;
  taxAmount: number | null;
  shippingAmount: number | null;
  warehouseLocation: string | null;
  options: ApiOption[];
  productId: number | null;
  fulfillmentSku: string | null;
  adjustment: boolean;
  upc: string | null;
  createDate: string;
  modifyDate: string;
}

export interface ApiDimensions {
  units: string;
  length: number;
  width: number;
  height: number;
}

export interface ApiInsuranceOptions {
  provider: string | null;
  insureShipment: boolean;
  insuredValue: number;
}

export interface ApiCustomsItem {
  customsItemId: number;
  description: string;
  quantity: number;
  value: number;
  harmonizedTariffCode: string | null;
  countryOfOrigin: string;
}

export interface ApiInternationalOptions {
  contents: string | null;
  customsItems: ApiCustomsItem[] | null;
  nonDelivery: string | null;
}

export interface ApiAdvancedOptions {
  warehouseId: number | null;
  nonMachinable: boolean;
  saturdayDelivery: boolean;
  containsAlcohol: boolean;
  mergedOrSplit: boolean;
  mergedIds: number[];
  parentId: number | null;
  storeId: number | null;
  customField1: string | null;
  customField2: string | null;
  customField3: string | null;
  source: string | null;
  billToParty: string | null;
  billToAccount: string | null;
  billToPostalCode: string | null;
  billToCountryCode: string | null;
}

export interface ApiOrder {
  orderId: number;
  orderNumber: string;
  orderKey: string;
  orderDate: string;
  createDate: string;
  modifyDate: string;
  paymentDate: string | null;
  shipByDate: string | null;
  orderStatus: string;
  customerId: number | null;
  customerUsername: string | null;
  customerEmail: string | null;
  billTo: ApiAddress;
  shipTo: ApiAddress;
  items: ApiOrderItem[];
  orderTotal: number;
  amountPaid: number;
  taxAmount: number;
  shippingAmount: number;
  customerNotes: string | null;
  internalNotes: string | null;
  gift: boolean;
  giftMessage: string | null;
  paymentMethod: string | null;
  requestedShippingService: string | null;
  carrierCode: string | null;
  serviceCode: string | null;
  packageCode: string | null;
  confirmation: string | null;
  shipDate: string | null;
  holdUntilDate: string | null;
  weight: ApiWeight;
  dimensions: ApiDimensions | null;
  insuranceOptions: ApiInsuranceOptions;
  internationalOptions: ApiInternationalOptions;
  advancedOptions: ApiAdvancedOptions;
  tagIds: number[] | null;
  userId: string | null;
  externallyFulfilled: boolean;
  externallyFulfilledBy: string | null;
  externallyFulfilledById: number | null;
  externallyFulfilledByName: string | null;
}

export interface ApiShipmentItem {
  orderItemId: number;
  lineItemKey: string | null;
  sku: string;
  name: string;
  imageUrl: string | null;
  weight: ApiWeight | null;
  quantity: number;
  unitPrice: number;
  warehouseLocation: string | null;
  options: ApiOption[] | null;
  productId: number | null;
  fulfillmentSku: string | null;
}

export interface ApiShipmentAdvancedOptions {
  billToParty: string | null;
  billToAccount: string | null;
  billToPostalCode: string | null;
  billToCountryCode: string | null;
  storeId: number | null;
}

export interface ApiShipment {
  shipmentId: number;
  orderId: number;
  userId: string | null;
  orderNumber: string;
  createDate: string;
  shipDate: string;
  shipmentCost: number;
  insuranceCost: number;
  trackingNumber: string;
  isReturnLabel: boolean;
  batchNumber: string | null;
  carrierCode: string;
  serviceCode: string;
  packageCode: string;
  confirmation: string;
  warehouseId: number | null;
  voided: boolean;
  voidDate: string | null;
  marketplaceNotified: boolean;
  notifyErrorMessage: string | null;
  shipTo: ApiShipmentAddress;
  weight: ApiWeight;
  dimensions: ApiDimensions | null;
  insuranceOptions: ApiInsuranceOptions;
  advancedOptions: ApiShipmentAdvancedOptions | null;
  shipmentItems: ApiShipmentItem[] | null;
  labelData: string | null;
  formData: string | null;
}

export interface ApiFulfillment {
  fulfillmentId: number;
  orderId: number;
  orderNumber: string;
  userId: string;
  customerEmail: string | null;
  trackingNumber: string;
  createDate: string;
  shipDate: string;
  voidDate: string | null;
  deliveryDate: string | null;
  carrierCode: string;
  fulfillmentProviderCode: string | null;
  fulfillmentServiceCode: string | null;
  fulfillmentFee: number;
  voidRequested: boolean;
  voided: boolean;
  marketplaceNotified: boolean;
  notifyErrorMessage: string | null;
  shipTo: ApiAddress;
}

export interface ApiTag {
  tagId: number;
  name: string;
}

export interface ApiProduct {
  productId: number;
  sku: string;
  name: string;
  price: number;
  defaultCost: number | null;
  length: number | null;
  width: number | null;
  height: number | null;
  weightOz: number | null;
  internalNotes: string | null;
  fulfillmentSku: string | null;
  createDate: string;
  modifyDate: string;
  active: boolean;
  productCategory: { categoryId: number; name: string } | null;
  productType: null;
  warehouseLocation: string | null;
  defaultCarrierCode: string | null;
  defaultServiceCode: string | null;
  defaultPackageCode: string | null;
  defaultIntlCarrierCode: string | null;
  defaultIntlServiceCode: string | null;
  defaultIntlPackageCode: string | null;
  defaultConfirmation: string | null;
  defaultIntlConfirmation: string | null;
  customsDescription: string | null;
  customsValue: number | null;
  customsTariffNo: string | null;
  customsCountryCode: string | null;
  noCustoms: boolean | null;
  tags: ApiTag[] | null;
}

export interface ApiMarketplaceUsername {
  customerUserId: number;
  customerId: number;
  createDate: string | null;
  modifyDate: string | null;
  marketplaceId: number;
  marketplace: string;
  username: string;
}

export interface ApiCustomer {
  customerId: number;
  createDate: string;
  modifyDate: string;
  name: string;
  company: string | null;
  street1: string;
  street2: string;
  city: string;
  state: string;
  postalCode: string;
  countryCode: string;
  phone: string;
  email: string;
  addressVerified: string;
  marketplaceUsernames: ApiMarketplaceUsername[];
  /** An array normally; the real API sometimes returns "" instead. */
  tags: ApiTag[] | '';
}

export interface ApiStore {
  storeId: number;
  storeName: string;
  marketplaceId: number;
  marketplaceName: string;
  accountName: string | null;
  email: string | null;
  integrationUrl: string | null;
  active: boolean;
  companyName: string;
  phone: string;
  publicEmail: string;
  website: string;
  refreshDate: string | null;
  lastRefreshAttempt: string | null;
  createDate: string;
  modifyDate: string;
  autoRefresh: boolean;
  /** A list per GET /stores/{id}; the list endpoint sends "" (seen in a real fixture). */
  statusMappings: '' | null;
}

/** `residential` is sometimes "" here (seen in a real fixture). */
export type ApiWarehouseAddress = Omit<ApiAddress, 'addressVerified' | 'residential'> & {
  residential: boolean | null | '';
};

export interface ApiWarehouse {
  warehouseId: number;
  warehouseName: string;
  originAddress: ApiWarehouseAddress;
  returnAddress: ApiWarehouseAddress;
  createDate: string;
  isDefault: boolean;
  /** Undocumented; "" in every real record seen (a real fixture), whatever their declared types. */
  extInventoryIdentity: '';
  registerFedexMeter: '';
  sellerIntegrationId: '';
}

// The reference endpoints below have no example in the reference: field names and order follow public SDK
// types (kjaenicke/shipstation-node `src/types`), see README.md, Assumptions.

export interface ApiCarrier {
  name: string;
  code: string;
  accountNumber: string | null;
  requiresFundedAccount: boolean;
  balance: number;
  nickname: string | null;
  shippingProviderId: number;
  primary: boolean;
}

export interface ApiMarketplace {
  name: string;
  marketplaceId: number;
  canRefresh: boolean;
  supportsCustomMappings: boolean;
  supportsCustomStatuses: boolean;
  canConfirmShipments: boolean;
}

export interface ApiUser {
  userId: string;
  userName: string;
  name: string;
}

export type WebhookEvent =
  | 'ORDER_NOTIFY'
  | 'ITEM_ORDER_NOTIFY'
  | 'SHIP_NOTIFY'
  | 'ITEM_SHIP_NOTIFY'
  | 'FULFILLMENT_SHIPPED'
  | 'FULFILLMENT_REJECTED';

export interface ApiWebhook {
  IsLabelAPIHook: boolean;
  WebHookID: number;
  SellerID: number;
  StoreID: number | null;
  HookType: WebhookEvent;
  MessageFormat: string;
  Url: string;
  Name: string | null;
  BulkCopyBatchID: number | null;
  BulkCopyRecordID: number | null;
  Active: boolean;
  WebhookLogs: unknown[];
  Seller: null;
  Store: null;
}

export interface ApiAccountTag {
  tagId: number;
  name: string;
  color: string;
}

export type ApiRecord =
  | ApiOrder
  | ApiShipment
  | ApiFulfillment
  | ApiProduct
  | ApiCustomer
  | ApiStore
  | ApiWarehouse
  | ApiCarrier
  | ApiMarketplace
  | ApiUser
  | ApiWebhook
  | ApiAccountTag;
