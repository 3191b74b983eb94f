using System.Text.Json;
using System.Text.Json.Serialization;

namespace Bms.Contracts;

/// <summary>
/// Source-generated System.Text.Json metadata for every contract type (web defaults: camelCase names,
/// case-insensitive reads, numbers only as numbers). Use <see cref="JsonSerializerContext.Options"/> of
/// <c>BmsContractsJsonContext.Default</c>, or combine <c>BmsContractsJsonContext.Default</c> into another resolver, to
/// read and write contracts without reflection.
/// </summary>
/// <example><code>var json = JsonSerializer.Serialize(product, BmsContractsJsonContext.Default.ProductDto);</code></example>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
// Events and acknowledgements
[JsonSerializable(typeof(EventEnvelope<ProductUpdatedData>))]
[JsonSerializable(typeof(EventEnvelope<InventoryUpdatedData>))]
[JsonSerializable(typeof(EventEnvelope<TransactionDto>))]
[JsonSerializable(typeof(EventEnvelope<LowStockAlertData>))]
[JsonSerializable(typeof(EventEnvelope<UserDto>))]
[JsonSerializable(typeof(EventEnvelope<NotificationDto>))]
[JsonSerializable(typeof(EventEnvelope<SyncStatusData>))]
[JsonSerializable(typeof(EventEnvelope<SyncRequestData>))]
[JsonSerializable(typeof(EventEnvelope<ProductDto>))]
[JsonSerializable(typeof(EventEnvelope<JsonElement>))]
[JsonSerializable(typeof(EventEnvelope<object>))]
[JsonSerializable(typeof(ProductUpdatedData))]
[JsonSerializable(typeof(InventoryUpdatedData))]
[JsonSerializable(typeof(LowStockAlertData))]
[JsonSerializable(typeof(SyncStatusData))]
[JsonSerializable(typeof(SyncStatusReport))]
[JsonSerializable(typeof(SyncRequestData))]
[JsonSerializable(typeof(AckResponse))]
[JsonSerializable(typeof(PingAck))]
[JsonSerializable(typeof(NotificationSendAck))]
[JsonSerializable(typeof(AuthRefreshRequest))]
[JsonSerializable(typeof(AuthRefreshAck))]
// REST
[JsonSerializable(typeof(AdjustInventoryRequest))]
[JsonSerializable(typeof(AdjustInventoryResponse))]
[JsonSerializable(typeof(AuthUserDto))]
[JsonSerializable(typeof(PrincipalDto))]
[JsonSerializable(typeof(CreateProductRequest))]
[JsonSerializable(typeof(CreateTransactionRequest))]
[JsonSerializable(typeof(InventoryItemDto))]
[JsonSerializable(typeof(IReadOnlyList<InventoryItemDto>))]
[JsonSerializable(typeof(LoginRequest))]
[JsonSerializable(typeof(LoginResponse))]
[JsonSerializable(typeof(NotificationDto))]
[JsonSerializable(typeof(IReadOnlyList<NotificationDto>))]
[JsonSerializable(typeof(ProductDto))]
[JsonSerializable(typeof(IReadOnlyList<ProductDto>))]
[JsonSerializable(typeof(RefreshRequest))]
[JsonSerializable(typeof(SaleLineRequest))]
[JsonSerializable(typeof(SendNotificationRequest))]
[JsonSerializable(typeof(TerminalDto))]
[JsonSerializable(typeof(TerminalLoginRequest))]
[JsonSerializable(typeof(TerminalLoginResponse))]
[JsonSerializable(typeof(TerminalStatusDto))]
[JsonSerializable(typeof(IReadOnlyList<TerminalStatusDto>))]
[JsonSerializable(typeof(TransactionDto))]
[JsonSerializable(typeof(IReadOnlyList<TransactionDto>))]
[JsonSerializable(typeof(TransactionLineDto))]
[JsonSerializable(typeof(UpdateProductRequest))]
[JsonSerializable(typeof(UpdateUserRequest))]
[JsonSerializable(typeof(UserDto))]
[JsonSerializable(typeof(IReadOnlyList<UserDto>))]
[JsonSerializable(typeof(ApiProblemDetails))]
// POS sync
[JsonSerializable(typeof(PosCatalogResponse))]
[JsonSerializable(typeof(PosStockLevel))]
[JsonSerializable(typeof(PosSyncRequest))]
[JsonSerializable(typeof(PosSyncItemRequest))]
[JsonSerializable(typeof(PosSyncItemResult))]
[JsonSerializable(typeof(PosSyncResponse))]
public sealed partial class BmsContractsJsonContext : JsonSerializerContext;
