// Generated from Bms.Contracts by tools/Bms.Contracts.TypeScriptGen. Do not edit: run scripts/generate-contracts.sh.
/* eslint-disable */

/** An ISO 8601 date-time in UTC, e.g. "2026-01-02T03:04:05Z". */
export type IsoDateTime = string;

/** A duration as .NET writes it, `[d.]hh:mm:ss[.fffffff]`, e.g. "00:00:00.0500000". */
export type TimeSpanText = string;

export declare const RealtimeEventNames: {
  readonly ProductUpdated: "product:updated";
  readonly InventoryUpdated: "inventory:updated";
  readonly TransactionCreated: "transaction:created";
  readonly LowStockAlert: "low-stock:alert";
  readonly UserUpdated: "user:updated";
  readonly SystemNotification: "system:notification";
  readonly SyncStatus: "sync:status";
  readonly SyncRequest: "sync:request";
  readonly MainNamespace: "/main";
};
export type RealtimeEventNames = (typeof RealtimeEventNames)[keyof typeof RealtimeEventNames];

export declare const ClientEvents: {
  readonly RoomJoin: "room:join";
  readonly RoomLeave: "room:leave";
  readonly Ping: "ping";
  readonly SyncStatus: "sync:status";
  readonly NotificationSend: "notification:send";
  readonly AuthRefresh: "auth:refresh";
  readonly Subscribe: "subscribe";
  readonly Unsubscribe: "unsubscribe";
};
export type ClientEvents = (typeof ClientEvents)[keyof typeof ClientEvents];

export declare const RealtimeNamespaceNames: {
  readonly Main: "/main";
  readonly Admin: "/admin";
  readonly Pos: "/pos";
};
export type RealtimeNamespaceNames = (typeof RealtimeNamespaceNames)[keyof typeof RealtimeNamespaceNames];

export declare const ErrorCodes: {
  readonly ValidationFailed: "validation_failed";
  readonly MalformedRequest: "malformed_request";
  readonly Unauthorized: "unauthorized";
  readonly InvalidCredentials: "invalid_credentials";
  readonly AccountDisabled: "account_disabled";
  readonly InvalidRefreshToken: "invalid_refresh_token";
  readonly RefreshTokenExpired: "refresh_token_expired";
  readonly Forbidden: "forbidden";
  readonly NotFound: "not_found";
  readonly DuplicateSku: "duplicate_sku";
  readonly IdempotencyKeyReused: "idempotency_key_reused";
  readonly PayloadTooLarge: "payload_too_large";
  readonly Malformed: "malformed";
  readonly Oversized: "oversized";
  readonly InvalidId: "invalid_id";
};
export type ErrorCodes = (typeof ErrorCodes)[keyof typeof ErrorCodes];

export declare const AckErrorCodes: {
  readonly Forbidden: "forbidden";
  readonly InvalidRoom: "invalid_room";
  readonly InvalidPayload: "invalid_payload";
  readonly RateLimited: "rate_limited";
  readonly Unauthorized: "unauthorized";
  readonly TokenExpired: "token_expired";
  readonly InternalError: "internal_error";
  readonly InvalidFilter: "invalid_filter";
  readonly TooManySubscriptions: "too_many_subscriptions";
  readonly NotFound: "not_found";
};
export type AckErrorCodes = (typeof AckErrorCodes)[keyof typeof AckErrorCodes];

export declare const NotificationSeverity: {
  readonly Info: "info";
  readonly Success: "success";
  readonly Warning: "warning";
  readonly Error: "error";
};
export type NotificationSeverity = (typeof NotificationSeverity)[keyof typeof NotificationSeverity];

export declare const PosSyncItemStatus: {
  readonly Accepted: "accepted";
  readonly Duplicate: "duplicate";
  readonly Rejected: "rejected";
};
export type PosSyncItemStatus = (typeof PosSyncItemStatus)[keyof typeof PosSyncItemStatus];

/** Room name builders: the rooms the server routes events to. */
export declare const Rooms: {
  /** `store:{id}`, e.g. Rooms.store(1) === "store:1". */
  store(storeId: number): `store:${number}`;
  /** `user:{id}`. */
  user(userId: number): `user:${number}`;
  /** `terminal:{id}`. */
  terminal<T extends string>(terminalId: T): `terminal:${T}`;
};
export type RoomName = `store:${number}` | `user:${number}` | `terminal:${string}`;

export interface AckResponse {
  ok: boolean;
  error?: string | null;
}

export interface AdjustInventoryRequest {
  productId?: number | null;
  delta?: number | null;
  reason?: string | null;
}

export interface AdjustInventoryResponse {
  productId: number;
  storeId: number;
  oldQuantity: number;
  quantity: number;
}

export interface ApiProblemDetails {
  type?: string | null;
  title?: string | null;
  status?: number | null;
  detail?: string | null;
  instance?: string | null;
  code?: string | null;
  errors?: Record<string, string[]> | null;
}

export interface AuthRefreshAck {
  ok: boolean;
  expiresAt?: IsoDateTime | null;
  error?: string | null;
}

export interface AuthRefreshRequest {
  token: string;
}

export interface AuthUserDto {
  id: number;
  username: string;
  roles: string[];
  storeIds: number[];
}

export interface CreateProductRequest {
  storeId?: number | null;
  sku?: string | null;
  name?: string | null;
  price?: number | null;
  quantity?: number | null;
  lowStockThreshold?: number | null;
}

export interface CreateTransactionRequest {
  storeId?: number | null;
  lines?: (SaleLineRequest | null)[] | null;
  idempotencyKey?: string | null;
}

export interface CreateWebhookRequest {
  name?: string | null;
  url?: string | null;
  event?: string | null;
  filter?: unknown | null;
  secret?: string | null;
}

export interface CreatedWebhookDto {
  webhook: WebhookDto;
  secret: string;
}

export interface DashboardTerminalDto {
  terminalId: string;
  name?: string | null;
  storeId?: number | null;
  isConnected?: boolean | null;
  syncState: number;
  pendingTransactions: number;
  pendingProducts: number;
  lastSyncAt?: IsoDateTime | null;
  lastReportAt?: IsoDateTime | null;
  lastError?: string | null;
  errors: string[];
  latency?: TimeSpanText | null;
  health: number;
}

export interface DashboardToken {
  accessToken: string;
  expiresIn: number;
  user: DashboardUser;
}

export interface DashboardUser {
  id: string;
  name: string;
  roles: string[];
  storeIds: number[];
}

export interface EventEnvelope<T> {
  id: string;
  type: string;
  timestamp: IsoDateTime;
  data: T;
}

export interface InventoryItemDto {
  productId: number;
  sku: string;
  name: string;
  storeId: number;
  quantity: number;
  lowStockThreshold: number;
  isLowStock: boolean;
  updatedAt: IsoDateTime;
}

export interface InventoryUpdatedData {
  productId: number;
  storeId: number;
  sku: string;
  name: string;
  oldQuantity: number;
  newQuantity: number;
  delta: number;
  reason: string;
  lowStockThreshold: number;
  transactionId?: string | null;
}

export interface LoginRequest {
  username?: string | null;
  password?: string | null;
}

export interface LoginResponse {
  accessToken: string;
  refreshToken: string;
  expiresAt: IsoDateTime;
  user: AuthUserDto;
}

export interface LowStockAlertData {
  productId: number;
  storeId: number;
  sku: string;
  name: string;
  quantity: number;
  lowStockThreshold: number;
}

export interface NotificationDto {
  id: string;
  title: string;
  message: string;
  severity: string;
  createdAt: IsoDateTime;
}

export interface NotificationSendAck {
  ok: boolean;
  id?: string | null;
  error?: string | null;
  errors?: Record<string, string[]> | null;
}

export interface PingAck {
  ok: boolean;
  time: IsoDateTime;
}

export interface PosCatalogResponse {
  products: ProductDto[];
  serverTime: IsoDateTime;
  full: boolean;
}

export interface PosStockLevel {
  productId: number;
  sku: string;
  quantity: number;
}

export interface PosSyncItemRequest {
  id?: string | null;
  receiptNumber?: string | null;
  storeId?: number | null;
  createdAt?: IsoDateTime | null;
  total?: number | null;
  lines?: (SaleLineRequest | null)[] | null;
}

export interface PosSyncItemResult {
  id?: string | null;
  status: string;
  transactionId?: string | null;
  reason?: string | null;
  detail?: string | null;
  errors?: Record<string, string[]> | null;
  negativeStock?: PosStockLevel[] | null;
  stock?: PosStockLevel[] | null;
}

export interface PosSyncRequest {
  transactions?: (PosSyncItemRequest | null)[] | null;
}

export interface PosSyncResponse {
  results: PosSyncItemResult[];
  accepted: number;
  duplicates: number;
  rejected: number;
  serverTime: IsoDateTime;
}

export interface PrincipalDto {
  kind: string;
  id: string;
  name: string;
  roles: string[];
  storeIds: number[];
  expiresAt?: IsoDateTime | null;
}

export interface ProductDto {
  id: number;
  sku: string;
  name: string;
  price: number;
  quantity: number;
  lowStockThreshold: number;
  storeId: number;
  updatedAt: IsoDateTime;
}

export interface ProductUpdatedData {
  id: number;
  sku: string;
  name: string;
  price: number;
  quantity: number;
  lowStockThreshold: number;
  storeId: number;
  updatedAt: IsoDateTime;
  action: string;
}

export interface RefreshRequest {
  refreshToken?: string | null;
}

export interface RoutingRuleDto {
  name: string;
  event: string;
  filter?: unknown | null;
  room: string;
  namespaces: string[];
}

export interface SaleLineRequest {
  productId?: number | null;
  quantity?: number | null;
}

export interface SendNotificationRequest {
  title?: string | null;
  message?: string | null;
  severity?: string | null;
}

export interface SubscribeAck {
  ok: boolean;
  id?: string | null;
  error?: string | null;
  detail?: string | null;
}

export interface SubscribeRequest {
  event: string;
  filter: Record<string, unknown>;
}

export interface SyncRequestData {
  terminalId?: string | null;
  requestedBy?: string | null;
}

export interface SyncStatusData {
  terminalId?: string | null;
  storeId?: number | null;
  reportedBy?: string | null;
  reportedAt?: IsoDateTime | null;
  source?: string | null;
  isOnline?: boolean | null;
  isSyncing?: boolean | null;
  lastSync?: IsoDateTime | null;
  pendingTransactions?: number | null;
  pendingProducts?: number | null;
  syncErrors?: string[] | null;
  accepted?: number | null;
  duplicates?: number | null;
  rejected?: number | null;
  negativeStock?: PosStockLevel[] | null;
}

export interface SyncStatusReport {
  terminalId?: string | null;
  storeId?: number | null;
  isOnline: boolean;
  isSyncing: boolean;
  lastSync?: IsoDateTime | null;
  pendingTransactions: number;
  pendingProducts: number;
  syncErrors: string[];
}

export interface TerminalDto {
  id: string;
  name?: string | null;
  storeId: number;
}

export interface TerminalLoginRequest {
  terminalId?: string | null;
  secret?: string | null;
}

export interface TerminalLoginResponse {
  accessToken: string;
  expiresAt: IsoDateTime;
  terminal: TerminalDto;
}

export interface TerminalStatusDto {
  id: string;
  name?: string | null;
  storeId: number;
  isActive: boolean;
  lastSeenAt?: IsoDateTime | null;
  lastSyncStatus?: Record<string, unknown> | null;
}

export interface TerminalSyncRequest {
  terminalId?: string | null;
}

export interface TerminalSyncResponse {
  asked: number;
}

export interface TransactionDto {
  id: string;
  storeId: number;
  total: number;
  lines: TransactionLineDto[];
  createdAt: IsoDateTime;
  idempotencyKey?: string | null;
  userId?: number | null;
  terminalId?: string | null;
  userName?: string | null;
}

export interface TransactionLineDto {
  productId: number;
  sku: string;
  name: string;
  quantity: number;
  unitPrice: number;
  lineTotal: number;
}

export interface UnsubscribeAck {
  ok: boolean;
  error?: string | null;
  detail?: string | null;
}

export interface UnsubscribeRequest {
  id: string;
}

export interface UpdateProductRequest {
  sku?: string | null;
  name?: string | null;
  price?: number | null;
  lowStockThreshold?: number | null;
}

export interface UpdateUserRequest {
  displayName?: string | null;
  isActive?: boolean | null;
  roles?: (string | null)[] | null;
  storeIds?: number[] | null;
  password?: string | null;
}

export interface UpdateWebhookRequest {
  name?: string | null;
  url?: string | null;
  event?: string | null;
  filter?: unknown | null;
  isEnabled?: boolean | null;
}

export interface UserDto {
  id: number;
  username: string;
  displayName?: string | null;
  isActive: boolean;
  roles: string[];
  storeIds: number[];
  updatedAt: IsoDateTime;
}

export interface WebhookDeliveryDto {
  id: string;
  eventId: string;
  eventType: string;
  status: string;
  attempts: number;
  lastStatusCode?: number | null;
  lastError?: string | null;
  lastDurationMs?: number | null;
  createdAt: IsoDateTime;
  lastAttemptAt?: IsoDateTime | null;
  nextAttemptAt: IsoDateTime;
  deliveredAt?: IsoDateTime | null;
}

export interface WebhookDto {
  id: string;
  name: string;
  url: string;
  event: string;
  filter?: unknown | null;
  isEnabled: boolean;
  consecutiveFailures: number;
  disabledAt?: IsoDateTime | null;
  disabledReason?: string | null;
  createdAt: IsoDateTime;
  updatedAt: IsoDateTime;
  pending: number;
}

export interface WebhookTestResultDto {
  ok: boolean;
  statusCode?: number | null;
  error?: string | null;
  durationMs: number;
}

/** Names of the business events the server emits. */
export type ServerEventName = "product:updated" | "inventory:updated" | "transaction:created" | "low-stock:alert" | "user:updated" | "system:notification" | "sync:status" | "sync:request";
/** Names of the events a client may emit. */
export type ClientEventName = "room:join" | "room:leave" | "ping" | "auth:refresh" | "sync:status" | "notification:send" | "subscribe" | "unsubscribe";

/** Events the server emits on `/main` (the `ListenEvents` of a socket.io-client `Socket`). */
export interface MainServerToClientEvents {
  "product:updated": (envelope: EventEnvelope<ProductUpdatedData>) => void;
  "inventory:updated": (envelope: EventEnvelope<InventoryUpdatedData>) => void;
  "transaction:created": (envelope: EventEnvelope<TransactionDto>) => void;
  "low-stock:alert": (envelope: EventEnvelope<LowStockAlertData>) => void;
  "user:updated": (envelope: EventEnvelope<UserDto>) => void;
  "system:notification": (envelope: EventEnvelope<NotificationDto>) => void;
  "sync:status": (envelope: EventEnvelope<SyncStatusData>) => void;
}

/** Events a client may emit on `/main` (the `EmitEvents` of a socket.io-client `Socket`); each takes an acknowledgement. */
export interface MainClientToServerEvents {
  "room:join": (room: string, ack: (response: AckResponse) => void) => void;
  "room:leave": (room: string, ack: (response: AckResponse) => void) => void;
  "ping": (ack: (response: PingAck) => void) => void;
  "auth:refresh": (payload: AuthRefreshRequest, ack: (response: AuthRefreshAck) => void) => void;
  "subscribe": (payload: SubscribeRequest, ack: (response: SubscribeAck) => void) => void;
  "unsubscribe": (payload: UnsubscribeRequest, ack: (response: UnsubscribeAck) => void) => void;
}

/** Events the server emits on `/admin` (the `ListenEvents` of a socket.io-client `Socket`). */
export interface AdminServerToClientEvents {
  "product:updated": (envelope: EventEnvelope<ProductUpdatedData>) => void;
  "inventory:updated": (envelope: EventEnvelope<InventoryUpdatedData>) => void;
  "transaction:created": (envelope: EventEnvelope<TransactionDto>) => void;
  "low-stock:alert": (envelope: EventEnvelope<LowStockAlertData>) => void;
  "user:updated": (envelope: EventEnvelope<UserDto>) => void;
  "system:notification": (envelope: EventEnvelope<NotificationDto>) => void;
  "sync:status": (envelope: EventEnvelope<SyncStatusData>) => void;
}

/** Events a client may emit on `/admin` (the `EmitEvents` of a socket.io-client `Socket`); each takes an acknowledgement. */
export interface AdminClientToServerEvents {
  "room:join": (room: string, ack: (response: AckResponse) => void) => void;
  "room:leave": (room: string, ack: (response: AckResponse) => void) => void;
  "ping": (ack: (response: PingAck) => void) => void;
  "auth:refresh": (payload: AuthRefreshRequest, ack: (response: AuthRefreshAck) => void) => void;
  "notification:send": (payload: SendNotificationRequest, ack: (response: NotificationSendAck) => void) => void;
  "subscribe": (payload: SubscribeRequest, ack: (response: SubscribeAck) => void) => void;
  "unsubscribe": (payload: UnsubscribeRequest, ack: (response: UnsubscribeAck) => void) => void;
}

/** Events the server emits on `/pos` (the `ListenEvents` of a socket.io-client `Socket`). */
export interface PosServerToClientEvents {
  "product:updated": (envelope: EventEnvelope<ProductUpdatedData>) => void;
  "inventory:updated": (envelope: EventEnvelope<InventoryUpdatedData>) => void;
  "transaction:created": (envelope: EventEnvelope<TransactionDto>) => void;
  "low-stock:alert": (envelope: EventEnvelope<LowStockAlertData>) => void;
  "system:notification": (envelope: EventEnvelope<NotificationDto>) => void;
  "sync:status": (envelope: EventEnvelope<SyncStatusData>) => void;
  "sync:request": (envelope: EventEnvelope<SyncRequestData>) => void;
}

/** Events a client may emit on `/pos` (the `EmitEvents` of a socket.io-client `Socket`); each takes an acknowledgement. */
export interface PosClientToServerEvents {
  "room:join": (room: string, ack: (response: AckResponse) => void) => void;
  "room:leave": (room: string, ack: (response: AckResponse) => void) => void;
  "ping": (ack: (response: PingAck) => void) => void;
  "auth:refresh": (payload: AuthRefreshRequest, ack: (response: AuthRefreshAck) => void) => void;
  "sync:status": (payload: SyncStatusReport, ack: (response: AckResponse) => void) => void;
  "subscribe": (payload: SubscribeRequest, ack: (response: SubscribeAck) => void) => void;
  "unsubscribe": (payload: UnsubscribeRequest, ack: (response: UnsubscribeAck) => void) => void;
}

/** Events between server nodes: none (the cluster adapter carries the business events). */
export interface InterServerEvents {}

/** The event maps of every namespace, keyed by namespace name. */
export interface NamespaceEvents {
  "/main": { serverToClient: MainServerToClientEvents; clientToServer: MainClientToServerEvents };
  "/admin": { serverToClient: AdminServerToClientEvents; clientToServer: AdminClientToServerEvents };
  "/pos": { serverToClient: PosServerToClientEvents; clientToServer: PosClientToServerEvents };
}

/** The events the server emits on namespace `N` (default `/main`). */
export type ServerToClientEvents<N extends keyof NamespaceEvents = "/main"> = NamespaceEvents[N]["serverToClient"];
/** The events a client may emit on namespace `N` (default `/main`). */
export type ClientToServerEvents<N extends keyof NamespaceEvents = "/main"> = NamespaceEvents[N]["clientToServer"];
