namespace Bms.Contracts;

/// <summary>
/// The acknowledgement of <c>subscribe</c>: <c>{ok:true, id}</c>, or <c>{ok:false, error, detail}</c> with
/// <paramref name="Error"/> <see cref="AckErrorCodes.InvalidFilter"/> or <see cref="AckErrorCodes.TooManySubscriptions"/>.
/// </summary>
/// <param name="Ok">True when the subscription is in force.</param>
/// <param name="Id">The subscription's id, for <c>unsubscribe</c>; present when <paramref name="Ok"/>.</param>
/// <param name="Error">Why it was refused; present when not <paramref name="Ok"/>.</param>
/// <param name="Detail">What is wrong with the request, in words (unknown field, wrong type, limit).</param>
public sealed record SubscribeAck(bool Ok, string? Id = null, string? Error = null, string? Detail = null);
