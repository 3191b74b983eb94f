namespace Bms.Contracts;

/// <summary>
/// The acknowledgement of <c>unsubscribe</c>: <c>{ok:true}</c>, <c>{ok:false, error:"not_found"}</c> for an unknown id,
/// or <c>{ok:false, error:"invalid_filter", detail}</c> for a malformed request.
/// </summary>
/// <param name="Ok">True when the subscription was removed.</param>
/// <param name="Error"><see cref="AckErrorCodes.NotFound"/> or <see cref="AckErrorCodes.InvalidFilter"/> when refused.</param>
/// <param name="Detail">What is wrong with a malformed request.</param>
public sealed record UnsubscribeAck(bool Ok, string? Error = null, string? Detail = null);
