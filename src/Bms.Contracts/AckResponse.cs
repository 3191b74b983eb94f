namespace Bms.Contracts;

/// <summary>
/// The acknowledgement of <c>room:join</c>, <c>room:leave</c> and <c>sync:status</c>: <c>{ok:true}</c> or
/// <c>{ok:false, error}</c> with <paramref name="Error"/> one of <see cref="AckErrorCodes"/>.
/// </summary>
/// <param name="Ok">True when the request was applied.</param>
/// <param name="Error">Why it was refused; null when <paramref name="Ok"/>.</param>
public sealed record AckResponse(bool Ok, string? Error = null);
