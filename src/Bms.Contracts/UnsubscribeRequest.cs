namespace Bms.Contracts;

/// <summary>The argument of <c>unsubscribe</c>: <c>{id}</c>, the id a <see cref="SubscribeAck"/> gave.</summary>
/// <param name="Id">The subscription to remove.</param>
public sealed record UnsubscribeRequest(string Id);
