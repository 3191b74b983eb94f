
namespace Bms.Server.Services;

/// <summary>The recorded sale; <see cref="Duplicate"/> is true when the idempotency key had been applied before.</summary>
internal sealed record SaleOutcome(TransactionDto Transaction, bool Duplicate);
