namespace Bms.Contracts;

/// <summary>The acknowledgement of <c>ping</c>: <c>{ok:true, time}</c> with the server's UTC time.</summary>
/// <param name="Ok">Always true.</param>
/// <param name="Time">The server's clock (UTC).</param>
public sealed record PingAck(bool Ok, DateTime Time);
