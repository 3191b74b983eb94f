// Generated from Bms.Contracts by tools/Bms.Contracts.TypeScriptGen. Do not edit: run scripts/generate-contracts.sh.
export const RealtimeEventNames = Object.freeze({
  ProductUpdated: "product:updated",
  InventoryUpdated: "inventory:updated",
  TransactionCreated: "transaction:created",
  LowStockAlert: "low-stock:alert",
  UserUpdated: "user:updated",
  SystemNotification: "system:notification",
  SyncStatus: "sync:status",
  SyncRequest: "sync:request",
  MainNamespace: "/main",
});

export const ClientEvents = Object.freeze({
  RoomJoin: "room:join",
  RoomLeave: "room:leave",
  Ping: "ping",
  SyncStatus: "sync:status",
  NotificationSend: "notification:send",
  AuthRefresh: "auth:refresh",
  Subscribe: "subscribe",
  Unsubscribe: "unsubscribe",
});

export const RealtimeNamespaceNames = Object.freeze({
  Main: "/main",
  Admin: "/admin",
  Pos: "/pos",
});

export const ErrorCodes = Object.freeze({
  ValidationFailed: "validation_failed",
  MalformedRequest: "malformed_request",
  Unauthorized: "unauthorized",
  InvalidCredentials: "invalid_credentials",
  AccountDisabled: "account_disabled",
  InvalidRefreshToken: "invalid_refresh_token",
  RefreshTokenExpired: "refresh_token_expired",
  Forbidden: "forbidden",
  NotFound: "not_found",
  DuplicateSku: "duplicate_sku",
  IdempotencyKeyReused: "idempotency_key_reused",
  PayloadTooLarge: "payload_too_large",
  Malformed: "malformed",
  Oversized: "oversized",
  InvalidId: "invalid_id",
});

export const AckErrorCodes = Object.freeze({
  Forbidden: "forbidden",
  InvalidRoom: "invalid_room",
  InvalidPayload: "invalid_payload",
  RateLimited: "rate_limited",
  Unauthorized: "unauthorized",
  TokenExpired: "token_expired",
  InternalError: "internal_error",
  InvalidFilter: "invalid_filter",
  TooManySubscriptions: "too_many_subscriptions",
  NotFound: "not_found",
});

export const NotificationSeverity = Object.freeze({
  Info: "info",
  Success: "success",
  Warning: "warning",
  Error: "error",
});

export const PosSyncItemStatus = Object.freeze({
  Accepted: "accepted",
  Duplicate: "duplicate",
  Rejected: "rejected",
});

export const Rooms = Object.freeze({
  store: (storeId) => "store:" + storeId,
  user: (userId) => "user:" + userId,
  terminal: (terminalId) => "terminal:" + terminalId,
});
